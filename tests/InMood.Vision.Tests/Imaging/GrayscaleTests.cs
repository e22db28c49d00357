using InMood.Vision.Imaging;

namespace InMood.Vision.Tests.Imaging;

public sealed class GrayscaleTests
{
    [Theory]
    [InlineData(255, 0, 0, 76)]
    [InlineData(0, 255, 0, 150)]
    [InlineData(0, 0, 255, 29)]
    [InlineData(255, 255, 255, 255)]
    [InlineData(0, 0, 0, 0)]
    [InlineData(100, 150, 200, 141)]
    public void Luma_PrimaryAndMixedColours_MatchesBt601(byte r, byte g, byte b, byte expected)
    {
        byte grey = Grayscale.Luma(r, g, b);

        Assert.Equal(expected, grey);
    }

    [Fact]
    public void FromRgb_StridedImage_ConvertsEveryPixelAndIgnoresPadding()
    {
        byte[] pixels = [255, 0, 0, 0, 255, 0, 99, 0, 0, 255, 10, 10, 10, 99];
        var image = new RgbImage(2, 2, 7, pixels);

        GrayImage grey = Grayscale.FromRgb(image);

        Assert.Equal([76, 150, 29, 10], grey.Pixels);
    }
}
