namespace InMood.Vision.Imaging;

/// <summary>
/// An 8-bit RGB image, channels interleaved R, G, B, rows top to bottom.
/// Shape: <see cref="Pixels"/> is [Height, Stride] bytes; row y holds Width * 3 bytes (R, G, B per pixel)
/// starting at y * Stride, followed by unused padding up to Stride.
/// </summary>
public sealed class RgbImage
{
    /// <summary>Bytes per pixel.</summary>
    public const int Channels = 3;

    /// <summary>Allocates a black image with tightly packed rows (Stride = Width * 3).</summary>
    public RgbImage(int width, int height)
        : this(width, height, checked(width * Channels), new byte[ImageGeometry.BufferLength(width, height, width * Channels, Channels)])
    {
    }

    /// <summary>Wraps an existing buffer of at least (Height - 1) * Stride + Width * 3 bytes.</summary>
    public RgbImage(int width, int height, int stride, byte[] pixels)
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

    /// <summary>The Width * 3 bytes of row y.</summary>
    public Span<byte> GetRow(int y)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(y);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(y, Height);
        return Pixels.AsSpan(y * Stride, Width * Channels);
    }
}
