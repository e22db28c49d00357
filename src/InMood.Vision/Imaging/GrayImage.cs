namespace InMood.Vision.Imaging;

/// <summary>An 8-bit single-channel (grey) image, rows top to bottom; the layout is <see cref="InterleavedImage"/>'s with one byte per pixel.</summary>
public sealed class GrayImage : InterleavedImage
{
    /// <summary>Bytes per pixel.</summary>
    public const int Channels = 1;

    /// <summary>Allocates a black image with tightly packed rows (Stride = Width).</summary>
    public GrayImage(int width, int height)
        : this(width, height, width, Black(width, height, Channels))
    {
    }

    /// <summary>Wraps an existing buffer of at least (Height - 1) * Stride + Width bytes.</summary>
    public GrayImage(int width, int height, int stride, byte[] pixels)
        : base(width, height, stride, pixels, Channels)
    {
    }
}
