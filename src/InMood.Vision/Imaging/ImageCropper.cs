namespace InMood.Vision.Imaging;

/// <summary>
/// Cuts a rectangle out of an image. The rectangle may extend past the image (a face box grown by a margin
/// near the border): those pixels are filled by edge replication, each taking the value of the nearest pixel
/// inside the image, so the crop never shows black bars.
/// </summary>
public static class ImageCropper
{
    /// <summary>Shapes: source [H, W, 3] -> result [rect.Height, rect.Width, 3].</summary>
    public static RgbImage Crop(RgbImage source, PixelRect rect)
    {
        ArgumentNullException.ThrowIfNull(source);
        var result = new RgbImage(rect.Width, rect.Height);
        Copy(source.Pixels, source.Width, source.Height, source.Stride, RgbImage.Channels, rect, result.Pixels, result.Stride);
        return result;
    }

    /// <summary>Shapes: source [H, W] -> result [rect.Height, rect.Width].</summary>
    public static GrayImage Crop(GrayImage source, PixelRect rect)
    {
        ArgumentNullException.ThrowIfNull(source);
        var result = new GrayImage(rect.Width, rect.Height);
        Copy(source.Pixels, source.Width, source.Height, source.Stride, GrayImage.Channels, rect, result.Pixels, result.Stride);
        return result;
    }

    private static void Copy(
        ReadOnlySpan<byte> source, int width, int height, int stride, int channels,
        PixelRect rect, Span<byte> destination, int destinationStride)
    {
        for (int y = 0; y < rect.Height; y++)
        {
            int sy = Math.Clamp(rect.Y + y, 0, height - 1);
            ReadOnlySpan<byte> sourceRow = source.Slice(sy * stride, width * channels);
            Span<byte> destinationRow = destination.Slice(y * destinationStride, rect.Width * channels);
            for (int x = 0; x < rect.Width; x++)
            {
                int sx = Math.Clamp(rect.X + x, 0, width - 1);
                sourceRow.Slice(sx * channels, channels).CopyTo(destinationRow.Slice(x * channels, channels));
            }
        }
    }
}
