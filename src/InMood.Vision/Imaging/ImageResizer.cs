namespace InMood.Vision.Imaging;

/// <summary>
/// Resizes images with a tent filter: bilinear when enlarging, widened into an area-averaging prefilter when
/// shrinking (see <see cref="ResampleWeights"/>). Each axis is scaled independently (no aspect ratio is kept).
/// </summary>
public static class ImageResizer
{
    /// <summary>Resizes an RGB image. Shapes: source [H, W, 3] -> result [height, width, 3].</summary>
    public static RgbImage Resize(RgbImage source, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(source);
        var result = new RgbImage(width, height);
        Resampler.Resize(source.Pixels, source.Width, source.Height, source.Stride, RgbImage.Channels, result.Pixels, width, height, result.Stride);
        return result;
    }

    /// <summary>Resizes a grey image. Shapes: source [H, W] -> result [height, width].</summary>
    public static GrayImage Resize(GrayImage source, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(source);
        var result = new GrayImage(width, height);
        Resampler.Resize(source.Pixels, source.Width, source.Height, source.Stride, GrayImage.Channels, result.Pixels, width, height, result.Stride);
        return result;
    }

    /// <summary>
    /// The size that fits inside maxLongSide x maxLongSide keeping the aspect ratio, never larger than the
    /// source: (width, height) itself when its long side is already at most maxLongSide.
    /// </summary>
    public static (int Width, int Height) FitLongSide(int width, int height, int maxLongSide)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLongSide, 1);
        int longSide = Math.Max(width, height);
        if (longSide <= maxLongSide)
        {
            return (width, height);
        }

        double scale = (double)maxLongSide / longSide;
        int fittedWidth = Math.Max(1, (int)Math.Round(width * scale));
        int fittedHeight = Math.Max(1, (int)Math.Round(height * scale));
        return width >= height ? (maxLongSide, fittedHeight) : (fittedWidth, maxLongSide);
    }
}
