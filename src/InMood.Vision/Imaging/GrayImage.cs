namespace InMood.Vision.Imaging;

/// <summary>
/// An 8-bit single-channel (grey) image, rows top to bottom.
/// Shape: <see cref="Pixels"/> is [Height, Stride] bytes; row y holds Width bytes starting at y * Stride.
/// </summary>
public sealed class GrayImage
{
    /// <summary>Bytes per pixel.</summary>
    public const int Channels = 1;

    /// <summary>Allocates a black image with tightly packed rows (Stride = Width).</summary>
    public GrayImage(int width, int height)
        : this(width, height, width, new byte[ImageGeometry.BufferLength(width, height, width, Channels)])
    {
    }

    /// <summary>Wraps an existing buffer of at least (Height - 1) * Stride + Width bytes.</summary>
    public GrayImage(int width, int height, int stride, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ImageGeometry.Validate(width, height, stride, Channels, pixels.Length);
        Width = width;
        Height = height;
        Stride = stride;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Bytes from the start of one row to the start of the next.</summary>
    public int Stride { get; }

    public byte[] Pixels { get; }

    /// <summary>The Width bytes of row y.</summary>
    public Span<byte> GetRow(int y)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(y);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(y, Height);
        return Pixels.AsSpan(y * Stride, Width);
    }
}
