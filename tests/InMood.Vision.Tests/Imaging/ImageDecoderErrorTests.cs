using System.Text;
using InMood.Vision.Imaging;
using SkiaSharp;

namespace InMood.Vision.Tests.Imaging;

public sealed class ImageDecoderErrorTests
{
    [Fact]
    public void Decode_ZeroBytes_ThrowsEmpty()
    {
        byte[] data = [];

        var exception = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(data));

        Assert.Equal("empty", exception.Code);
        Assert.Contains("0 bytes", exception.Message);
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Jpeg)]
    [InlineData(SKEncodedImageFormat.Png)]
    public void Decode_TruncatedFile_ThrowsTruncated(SKEncodedImageFormat format)
    {
        byte[] whole = TestImages.Encode(64, 64, (x, y) => new SKColor((byte)(x * 4), (byte)(y * 4), (byte)(x ^ y)), format);
        byte[] truncated = whole.AsSpan(0, whole.Length / 2).ToArray();

        var exception = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(truncated));

        Assert.Equal("truncated", exception.Code);
    }

    [Fact]
    public void Decode_FileCutInsideTheHeader_ThrowsTruncated()
    {
        byte[] whole = TestImages.Encode(8, 8, (x, y) => SKColors.White, SKEncodedImageFormat.Png);
        byte[] truncated = whole.AsSpan(0, 20).ToArray();

        var exception = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(truncated));

        Assert.Equal("truncated", exception.Code);
    }

    [Fact]
    public void Decode_RandomBytes_ThrowsNotAnImage()
    {
        var data = new byte[4096];
        new Random(1234).NextBytes(data);

        var exception = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(data));

        Assert.Equal("not_an_image", exception.Code);
    }

    [Fact]
    public void Decode_TextFile_ThrowsNotAnImage()
    {
        byte[] data = Encoding.ASCII.GetBytes("emotion,pixels,Usage\n0,1 2 3,Training\n");

        var exception = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(data));

        Assert.Equal("not_an_image", exception.Code);
        Assert.Contains("not JPEG, PNG", exception.Message);
    }

    [Theory]
    [InlineData("hi")]
    [InlineData("this is not a jpeg")]
    public void Decode_ShortText_ThrowsNotAnImage(string text)
    {
        byte[] data = Encoding.ASCII.GetBytes(text);

        var exception = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(data));

        Assert.Equal("not_an_image", exception.Code);
    }

    [Fact]
    public void Decode_HugeDeclaredDimensions_ThrowsTooLargeBeforeDecoding()
    {
        byte[] bomb = PngBuilder.DeclaringSize(50_000, 50_000);

        var exception = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(bomb));

        Assert.Equal("too_large", exception.Code);
        Assert.Contains("50000x50000", exception.Message);
    }

    [Fact]
    public void Decode_ImageOverTheCallersPixelLimit_ThrowsTooLarge()
    {
        byte[] png = TestImages.Encode(40, 30, (x, y) => SKColors.White, SKEncodedImageFormat.Png);

        var exception = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(png, new DecodeOptions { MaxPixels = 1000 }));

        Assert.Equal(ImageDecodeError.TooLarge, exception.Error);
    }

    [Fact]
    public void Decode_PngWithGarbledPixelData_ThrowsCorruptOrTruncated()
    {
        byte[] png = TestImages.Encode(64, 64, (x, y) => new SKColor((byte)x, (byte)y, 0), SKEncodedImageFormat.Png);
        int data = png.AsSpan().IndexOf("IDAT"u8) + 4;
        for (int i = data + 2; i < png.Length - 16; i++)
        {
            png[i] = (byte)(i * 37);
        }

        var exception = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(png));

        Assert.Contains(exception.Code, new[] { "corrupt", "truncated" });
    }

    [Fact]
    public void DecodeFile_MissingFile_ThrowsUnreadableNamingThePath()
    {
        string path = Path.Combine(Path.GetTempPath(), $"inmood-missing-{Guid.NewGuid():N}.jpg");

        var exception = Assert.Throws<ImageDecodeException>(() => ImageDecoder.DecodeFile(path));

        Assert.Equal("unreadable", exception.Code);
        Assert.Contains(path, exception.Message);
    }
}
