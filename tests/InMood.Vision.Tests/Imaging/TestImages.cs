using InMood.Vision.Imaging;
using SkiaSharp;

namespace InMood.Vision.Tests.Imaging;

/// <summary>Builds small pictures in memory and encodes them with SkiaSharp's own encoders (PNG, JPEG, WebP).</summary>
internal static class TestImages
{
    /// <summary>An opaque bitmap whose pixel (x, y) is colour(x, y).</summary>
    public static SKBitmap Bitmap(int width, int height, Func<int, int, SKColor> colour)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, colour(x, y));
            }
        }

        return bitmap;
    }

    public static byte[] Encode(int width, int height, Func<int, int, SKColor> colour, SKEncodedImageFormat format, int quality = 95)
    {
        using SKBitmap bitmap = Bitmap(width, height, colour);
        using SKData data = bitmap.Encode(format, quality);
        return data.ToArray();
    }

    public static byte[] EncodeLosslessWebp(int width, int height, Func<int, int, SKColor> colour)
    {
        using SKBitmap bitmap = Bitmap(width, height, colour);
        using SKPixmap pixmap = bitmap.PeekPixels();
        using SKData? data = pixmap.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossless, 100));
        Assert.NotNull(data);
        return data.ToArray();
    }

    /// <summary>A grey JPEG (one component) made from an 8-bit grey bitmap.</summary>
    public static byte[] EncodeGrayJpeg(int width, int height, Func<int, int, byte> value)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        Span<byte> pixels = bitmap.GetPixelSpan();
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                pixels[y * bitmap.RowBytes + x] = value(x, y);
            }
        }

        using SKData data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 95);
        return data.ToArray();
    }

    /// <summary>Checks a decoded pixel against an expected colour, each channel within tolerance.</summary>
    public static void AssertPixel(RgbImage image, int x, int y, SKColor expected, int tolerance)
    {
        ReadOnlySpan<byte> row = image.GetRow(y);
        (byte r, byte g, byte b) = (row[3 * x], row[3 * x + 1], row[3 * x + 2]);
        bool close = Math.Abs(r - expected.Red) <= tolerance && Math.Abs(g - expected.Green) <= tolerance && Math.Abs(b - expected.Blue) <= tolerance;
        Assert.True(close, $"pixel ({x}, {y}) is ({r}, {g}, {b}), expected ({expected.Red}, {expected.Green}, {expected.Blue}) within {tolerance}");
    }
}
