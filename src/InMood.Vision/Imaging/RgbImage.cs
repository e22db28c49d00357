namespace InMood.Vision.Imaging;

/// <summary>An 8-bit RGB image, rows top to bottom; the layout is <see cref="InterleavedImage"/>'s with R, G, B per pixel.</summary>
public sealed class RgbImage : InterleavedImage
{
    /// <summary>Bytes per pixel.</summary>
    public const int Channels = 3;

    /// <summary>Allocates a black image with tightly packed rows (Stride = Width * 3).</summary>
    public RgbImage(int width, int height)
        : this(width, height, checked(width * Channels), Black(width, height, Channels))
    {
    }

    /// <summary>Wraps an existing buffer of at least (Height - 1) * Stride + Width * 3 bytes.</summary>
    public RgbImage(int width, int height, int stride, byte[] pixels)
        : base(width, height, stride, pixels, Channels)
    {
    }
}
