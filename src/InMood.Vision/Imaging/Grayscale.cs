namespace InMood.Vision.Imaging;

/// <summary>RGB to grey conversion with the ITU-R BT.601 luma weights: g = 0.299 R + 0.587 G + 0.114 B, rounded.</summary>
public static class Grayscale
{
    /// <summary>Shapes: source [H, W, 3] -> result [H, W].</summary>
    public static GrayImage FromRgb(RgbImage source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var result = new GrayImage(source.Width, source.Height);
        for (int y = 0; y < source.Height; y++)
        {
            ReadOnlySpan<byte> row = source.GetRow(y);
            Span<byte> grey = result.GetRow(y);
            for (int x = 0; x < grey.Length; x++)
            {
                grey[x] = Luma(row[3 * x], row[3 * x + 1], row[3 * x + 2]);
            }
        }

        return result;
    }

    /// <summary>round(0.299 r + 0.587 g + 0.114 b), computed exactly in integers.</summary>
    public static byte Luma(byte r, byte g, byte b) => (byte)((299 * r + 587 * g + 114 * b + 500) / 1000);
}
