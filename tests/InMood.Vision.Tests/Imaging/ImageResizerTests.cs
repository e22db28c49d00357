using InMood.Vision.Imaging;

namespace InMood.Vision.Tests.Imaging;

public sealed class ImageResizerTests
{
    [Theory]
    [InlineData(48, 48)]
    [InlineData(600, 48)]
    [InlineData(7, 31)]
    public void Resize_ConstantImage_StaysConstant(int sourceSize, int size)
    {
        var source = new GrayImage(sourceSize, sourceSize);
        source.Pixels.AsSpan().Fill(137);

        GrayImage resized = ImageResizer.Resize(source, size, size);

        Assert.All(resized.Pixels, value => Assert.Equal(137, value));
    }

    [Fact]
    public void Resize_SameSize_CopiesExactly()
    {
        var source = new RgbImage(5, 4);
        new Random(7).NextBytes(source.Pixels);

        RgbImage resized = ImageResizer.Resize(source, 5, 4);

        Assert.Equal(source.Pixels, resized.Pixels);
    }

    [Fact]
    public void Resize_HorizontalGradientHalved_AveragesPairs()
    {
        var source = new GrayImage(8, 2);
        for (int x = 0; x < 8; x++)
        {
            source.Pixels[x] = (byte)(x * 20);
            source.Pixels[8 + x] = (byte)(x * 20);
        }

        GrayImage resized = ImageResizer.Resize(source, 4, 2);

        // Interior outputs sit between source pixels 2k and 2k+1, so the symmetric tent gives their mean.
        Assert.Equal(50, resized.Pixels[1]);
        Assert.Equal(90, resized.Pixels[2]);
    }

    [Fact]
    public void Resize_GradientEnlarged_InterpolatesLinearly()
    {
        var source = new GrayImage(2, 1, 2, [0, 200]);

        GrayImage resized = ImageResizer.Resize(source, 4, 1);

        Assert.Equal([0, 50, 150, 200], resized.Pixels);
    }

    [Fact]
    public void Resize_FineStripesShrunkALot_AverageToMidGreyInsteadOfAliasing()
    {
        var source = new GrayImage(600, 600);
        for (int y = 0; y < 600; y++)
        {
            for (int x = 0; x < 600; x++)
            {
                source.Pixels[y * 600 + x] = (byte)(x % 2 == 0 ? 0 : 255);
            }
        }

        GrayImage resized = ImageResizer.Resize(source, 48, 48);

        Assert.All(resized.Pixels, value => Assert.InRange(value, 120, 135));
    }

    [Theory]
    [InlineData(4000, 3000, 1024, 1024, 768)]
    [InlineData(3000, 4000, 1024, 768, 1024)]
    [InlineData(640, 480, 1024, 640, 480)]
    public void FitLongSide_VariousSizes_KeepsAspectAndNeverEnlarges(int width, int height, int maxLongSide, int expectedWidth, int expectedHeight)
    {
        (int Width, int Height) fitted = ImageResizer.FitLongSide(width, height, maxLongSide);

        Assert.Equal((expectedWidth, expectedHeight), fitted);
    }
}
