namespace InMood.Vision.Imaging;

/// <summary>
/// A decoded picture in displayed orientation (EXIF orientation applied), possibly reduced in size, with the
/// geometry needed to map its coordinates back to the full-size source picture as displayed.
/// </summary>
public sealed class DecodedImage
{
    public DecodedImage(RgbImage image, int sourceWidth, int sourceHeight, string format, int orientation)
    {
        ArgumentNullException.ThrowIfNull(image);
        Image = image;
        SourceWidth = sourceWidth;
        SourceHeight = sourceHeight;
        Format = format;
        Orientation = orientation;
    }

    /// <summary>The pixels, in displayed orientation.</summary>
    public RgbImage Image { get; }

    /// <summary>Width of the full-size picture as displayed (after the EXIF rotation).</summary>
    public int SourceWidth { get; }

    /// <summary>Height of the full-size picture as displayed (after the EXIF rotation).</summary>
    public int SourceHeight { get; }

    /// <summary>Container format: "jpeg", "png", "bmp", "gif", "webp" or another lower-case name.</summary>
    public string Format { get; }

    /// <summary>The EXIF orientation that was applied, 1 (none) to 8.</summary>
    public int Orientation { get; }

    /// <summary>Image.Width / SourceWidth: a source x coordinate is a decoded x divided by this.</summary>
    public double ScaleX => (double)Image.Width / SourceWidth;

    /// <summary>Image.Height / SourceHeight: a source y coordinate is a decoded y divided by this.</summary>
    public double ScaleY => (double)Image.Height / SourceHeight;

    /// <summary>Maps a point of <see cref="Image"/> to full-size source pixel coordinates.</summary>
    public (double X, double Y) ToSource(double x, double y) => (x / ScaleX, y / ScaleY);
}
