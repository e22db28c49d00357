using InMood.Vision.Imaging;
using SkiaSharp;

namespace InMood.Vision.Tests.Imaging;

public sealed class ImageDecoderTests
{
    private static readonly SKColor s_red = new(220, 30, 30);
    private static readonly SKColor s_green = new(30, 200, 60);
    private static readonly SKColor s_blue = new(40, 50, 210);

    [Fact]
    public void Decode_Png_ReturnsExactPixelsAndSize()
    {
        byte[] png = TestImages.Encode(5, 3, (x, y) => new SKColor((byte)(x * 50), (byte)(y * 100), 7), SKEncodedImageFormat.Png);

        DecodedImage decoded = ImageDecoder.Decode(png);

        Assert.Equal((5, 3), (decoded.Image.Width, decoded.Image.Height));
        Assert.Equal((5, 3), (decoded.SourceWidth, decoded.SourceHeight));
        Assert.Equal("png", decoded.Format);
        TestImages.AssertPixel(decoded.Image, 4, 2, new SKColor(200, 200, 7), 0);
        TestImages.AssertPixel(decoded.Image, 1, 0, new SKColor(50, 0, 7), 0);
    }

    [Fact]
    public void Decode_Jpeg_ReturnsPixelsCloseToTheOriginal()
    {
        byte[] jpeg = TestImages.Encode(32, 32, (x, y) => x < 16 ? s_red : s_blue, SKEncodedImageFormat.Jpeg);

        DecodedImage decoded = ImageDecoder.Decode(jpeg);

        Assert.Equal("jpeg", decoded.Format);
        Assert.Equal(1, decoded.Orientation);
        TestImages.AssertPixel(decoded.Image, 4, 16, s_red, 12);
        TestImages.AssertPixel(decoded.Image, 28, 16, s_blue, 12);
    }

    [Fact]
    public void Decode_LosslessWebp_ReturnsExactPixels()
    {
        byte[] webp = TestImages.EncodeLosslessWebp(6, 4, (x, y) => new SKColor((byte)(x * 40), 90, (byte)(y * 60)));

        DecodedImage decoded = ImageDecoder.Decode(webp);

        Assert.Equal("webp", decoded.Format);
        Assert.Equal((6, 4), (decoded.Image.Width, decoded.Image.Height));
        TestImages.AssertPixel(decoded.Image, 5, 3, new SKColor(200, 90, 180), 0);
    }

    [Fact]
    public void Decode_Bmp_ReturnsExactPixelsTopRowFirst()
    {
        byte[] bmp = BmpBuilder.Build(3, 2, (x, y) => ((byte)(10 + x), (byte)(100 + y), 250));

        DecodedImage decoded = ImageDecoder.Decode(bmp);

        Assert.Equal("bmp", decoded.Format);
        Assert.Equal((3, 2), (decoded.Image.Width, decoded.Image.Height));
        TestImages.AssertPixel(decoded.Image, 0, 0, new SKColor(10, 100, 250), 0);
        TestImages.AssertPixel(decoded.Image, 2, 1, new SKColor(12, 101, 250), 0);
    }

    [Fact]
    public void Decode_AnimatedGif_ReturnsTheFirstFrame()
    {
        byte[] palette = [0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255];
        byte[] first = [1, 1, 2, 2, 1, 1, 2, 2];
        byte[] second = [3, 3, 3, 3, 3, 3, 3, 3];
        byte[] gif = GifBuilder.Build(4, 2, palette, first, second);

        DecodedImage decoded = ImageDecoder.Decode(gif);

        Assert.Equal("gif", decoded.Format);
        TestImages.AssertPixel(decoded.Image, 0, 0, new SKColor(255, 0, 0), 0);
        TestImages.AssertPixel(decoded.Image, 3, 1, new SKColor(0, 255, 0), 0);
    }

    [Fact]
    public void Decode_GrayPng_RepeatsTheGreyInEveryChannel()
    {
        byte[] png = PngBuilder.Build(2, 1, 8, PngBuilder.Gray, [[17, 240]]);

        DecodedImage decoded = ImageDecoder.Decode(png);

        TestImages.AssertPixel(decoded.Image, 0, 0, new SKColor(17, 17, 17), 0);
        TestImages.AssertPixel(decoded.Image, 1, 0, new SKColor(240, 240, 240), 0);
    }

    [Fact]
    public void Decode_SixteenBitPng_KeepsTheHighByte()
    {
        byte[] row = [0xFF, 0xFF, 0x80, 0x00, 0x00, 0x00, 0x12, 0x34, 0xAB, 0xCD, 0x00, 0xFF];
        byte[] png = PngBuilder.Build(2, 1, 16, PngBuilder.Rgb, [row]);

        DecodedImage decoded = ImageDecoder.Decode(png);

        TestImages.AssertPixel(decoded.Image, 0, 0, new SKColor(255, 128, 0), 1);
        TestImages.AssertPixel(decoded.Image, 1, 0, new SKColor(0x12, 0xAB, 0x00), 1);
    }

    [Fact]
    public void Decode_PalettePng_LooksUpTheColours()
    {
        byte[] palette = [10, 20, 30, 200, 100, 50];
        byte[] png = PngBuilder.Build(3, 1, 8, PngBuilder.Palette, [[1, 0, 1]], palette);

        DecodedImage decoded = ImageDecoder.Decode(png);

        TestImages.AssertPixel(decoded.Image, 0, 0, new SKColor(200, 100, 50), 0);
        TestImages.AssertPixel(decoded.Image, 1, 0, new SKColor(10, 20, 30), 0);
    }

    [Fact]
    public void Decode_RgbaPng_ShowsTransparencyOverBlack()
    {
        byte[] png = PngBuilder.Build(2, 1, 8, PngBuilder.Rgba, [[200, 100, 50, 255, 200, 100, 50, 0]]);

        DecodedImage decoded = ImageDecoder.Decode(png);

        TestImages.AssertPixel(decoded.Image, 0, 0, new SKColor(200, 100, 50), 0);
        TestImages.AssertPixel(decoded.Image, 1, 0, new SKColor(0, 0, 0), 0);
    }

    [Theory]
    [InlineData(3, 32, 16, 28, 12)]
    [InlineData(6, 16, 32, 12, 4)]
    [InlineData(8, 16, 32, 4, 28)]
    public void Decode_JpegWithExifOrientation_ReturnsDisplayedOrientation(int orientation, int width, int height, int markX, int markY)
    {
        // Stored 32x16: an 8x8 red mark in the top-left corner, green elsewhere. Displayed, the mark moves to
        // the bottom-right (3, rotated 180), the top-right (6, turned right) or the bottom-left (8, turned left).
        byte[] stored = TestImages.Encode(32, 16, (x, y) => x < 8 && y < 8 ? s_red : s_green, SKEncodedImageFormat.Jpeg);
        byte[] jpeg = ExifJpeg.WithOrientation(stored, orientation);

        DecodedImage decoded = ImageDecoder.Decode(jpeg);

        Assert.Equal(orientation, decoded.Orientation);
        Assert.Equal((width, height), (decoded.Image.Width, decoded.Image.Height));
        Assert.Equal((width, height), (decoded.SourceWidth, decoded.SourceHeight));
        TestImages.AssertPixel(decoded.Image, markX, markY, s_red, 24);
        TestImages.AssertPixel(decoded.Image, width - 1 - markX, height - 1 - markY, s_green, 24);
    }

    [Fact]
    public void Decode_LargeJpegWithMaxLongSide_DecodesSmallAndReportsTheSourceSize()
    {
        byte[] jpeg = TestImages.Encode(1600, 1200, (x, y) => x < 800 ? s_red : s_blue, SKEncodedImageFormat.Jpeg, 80);

        DecodedImage decoded = ImageDecoder.Decode(jpeg, new DecodeOptions { MaxLongSide = 400 });

        Assert.Equal((400, 300), (decoded.Image.Width, decoded.Image.Height));
        Assert.Equal((1600, 1200), (decoded.SourceWidth, decoded.SourceHeight));
        Assert.Equal(0.25, decoded.ScaleX, 6);
        Assert.Equal((1000.0, 800.0), decoded.ToSource(250, 200));
        TestImages.AssertPixel(decoded.Image, 100, 150, s_red, 12);
        TestImages.AssertPixel(decoded.Image, 300, 150, s_blue, 12);
    }

    /// <summary>1000 x 800 at MaxLongSide 400: the codec's half-size decode (500 x 400) is within 30% of it and kept; without the tolerance it is shrunk to 400 x 320.</summary>
    [Theory]
    [InlineData(0.3, 500, 400)]
    [InlineData(0.2, 400, 320)]
    [InlineData(0.0, 400, 320)]
    public void Decode_JpegWithLongSideTolerance_KeepsANativeSizeWithinIt(double tolerance, int width, int height)
    {
        byte[] jpeg = TestImages.Encode(1000, 800, (x, y) => x < 500 ? s_red : s_blue, SKEncodedImageFormat.Jpeg, 80);

        DecodedImage decoded = ImageDecoder.Decode(jpeg, new DecodeOptions { MaxLongSide = 400, LongSideTolerance = tolerance });

        Assert.Equal((width, height), (decoded.Image.Width, decoded.Image.Height));
        Assert.Equal((1000, 800), (decoded.SourceWidth, decoded.SourceHeight));
        Assert.Equal((500.0, 400.0), decoded.ToSource(width / 2.0, height / 2.0));
        TestImages.AssertPixel(decoded.Image, width / 4, height / 2, s_red, 12);
        TestImages.AssertPixel(decoded.Image, 3 * width / 4, height / 2, s_blue, 12);
    }

    [Fact]
    public void Decode_PngWithMaxLongSide_ShrinksAfterDecoding()
    {
        byte[] png = TestImages.Encode(300, 600, (x, y) => s_green, SKEncodedImageFormat.Png);

        DecodedImage decoded = ImageDecoder.Decode(png, new DecodeOptions { MaxLongSide = 100 });

        Assert.Equal((50, 100), (decoded.Image.Width, decoded.Image.Height));
        Assert.Equal((300, 600), (decoded.SourceWidth, decoded.SourceHeight));
        TestImages.AssertPixel(decoded.Image, 25, 50, s_green, 0);
    }

    [Fact]
    public void Decode_UprightImageWithMaxLongSide_SameBytesAsShrinkingTheFullDecode()
    {
        byte[] png = TestImages.Encode(301, 250, (x, y) => new SKColor((byte)(x * 7), (byte)(y * 5), (byte)(x ^ y)), SKEncodedImageFormat.Png);
        RgbImage full = ImageDecoder.Decode(png).Image;

        DecodedImage decoded = ImageDecoder.Decode(png, new DecodeOptions { MaxLongSide = 97 });

        RgbImage expected = ImageResizer.Resize(full, decoded.Image.Width, decoded.Image.Height);
        Assert.Equal((97, 81), (decoded.Image.Width, decoded.Image.Height));
        Assert.Equal(expected.Pixels, decoded.Image.Pixels);
    }

    [Fact]
    public void Decode_SmallImageWithLargerMaxLongSide_IsNotEnlarged()
    {
        byte[] png = TestImages.Encode(20, 10, (x, y) => s_green, SKEncodedImageFormat.Png);

        DecodedImage decoded = ImageDecoder.Decode(png, new DecodeOptions { MaxLongSide = 1024 });

        Assert.Equal((20, 10), (decoded.Image.Width, decoded.Image.Height));
        Assert.Equal(1.0, decoded.ScaleX);
    }

    [Fact]
    public void DecodeGray_GrayJpeg_ReturnsTheStoredGrey()
    {
        byte[] jpeg = TestImages.EncodeGrayJpeg(48, 48, (x, y) => x < 24 ? (byte)40 : (byte)210);

        GrayImage grey = ImageDecoder.DecodeGray(jpeg);

        Assert.Equal((48, 48), (grey.Width, grey.Height));
        Assert.InRange(grey.GetRow(24)[8], 36, 44);
        Assert.InRange(grey.GetRow(24)[40], 206, 214);
    }

    [Fact]
    public void DecodeGray_RgbPng_AppliesTheLumaWeights()
    {
        byte[] png = TestImages.Encode(3, 1, (x, y) => x switch { 0 => new SKColor(255, 0, 0), 1 => new SKColor(0, 255, 0), _ => new SKColor(0, 0, 255) }, SKEncodedImageFormat.Png);

        GrayImage grey = ImageDecoder.DecodeGray(png);

        Assert.Equal([76, 150, 29], grey.GetRow(0).ToArray());
    }

    [Fact]
    public void DecodeFile_PngOnDisk_ReturnsThePixels()
    {
        string path = Path.Combine(Path.GetTempPath(), $"inmood-{Guid.NewGuid():N}.png");
        File.WriteAllBytes(path, TestImages.Encode(4, 4, (x, y) => s_blue, SKEncodedImageFormat.Png));

        try
        {
            DecodedImage decoded = ImageDecoder.DecodeFile(path);

            TestImages.AssertPixel(decoded.Image, 3, 3, s_blue, 0);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
