using InMood.Vision.Imaging;

namespace InMood.Vision.Tests.Imaging;

/// <summary>The fast resampler against its plain-loop definition: the same bytes for every shape the pipeline uses and odd ones.</summary>
public sealed class ResamplerTests
{
    [Theory]
    [InlineData(645, 775, 3, 533, 640)]
    [InlineData(533, 640, 3, 213, 256)]
    [InlineData(147, 151, 1, 48, 48)]
    [InlineData(48, 48, 1, 48, 48)]
    [InlineData(20, 30, 3, 61, 47)]
    [InlineData(17, 9, 4, 5, 3)]
    [InlineData(1, 1, 3, 7, 5)]
    [InlineData(300, 2, 2, 1, 1)]
    public void Resize_RandomPixels_SameBytesAsScalarDefinition(int sourceWidth, int sourceHeight, int channels, int width, int height)
    {
        // Arrange
        var random = new Random(sourceWidth * 31 + height);
        int sourceStride = sourceWidth * channels + 5;
        var source = new byte[sourceStride * sourceHeight];
        random.NextBytes(source);
        int stride = width * channels + 3;
        var expected = new byte[stride * height];
        var actual = new byte[stride * height];

        // Act
        Resampler.ResizeScalar(source, sourceWidth, sourceHeight, sourceStride, channels, expected, width, height, stride);
        Resampler.Resize(source, sourceWidth, sourceHeight, sourceStride, channels, actual, width, height, stride);

        // Assert
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(645, 775, 533, 640)]
    [InlineData(20, 30, 61, 47)]
    [InlineData(9, 4, 2, 3)]
    [InlineData(1, 1, 3, 2)]
    public void Resize_RgbaReadAsRgb_SameBytesAsScalarDefinitionOfTheRgbCopy(int sourceWidth, int sourceHeight, int width, int height)
    {
        // Arrange
        var random = new Random(sourceWidth * 17 + height);
        int sourceStride = sourceWidth * 4;
        var rgba = new byte[sourceStride * sourceHeight];
        random.NextBytes(rgba);
        var rgb = new byte[sourceWidth * 3 * sourceHeight];
        for (int p = 0; p < sourceWidth * sourceHeight; p++)
        {
            rgba.AsSpan(p * 4, 3).CopyTo(rgb.AsSpan(p * 3));
        }

        var expected = new byte[width * 3 * height];
        var actual = new byte[width * 3 * height];

        // Act
        Resampler.ResizeScalar(rgb, sourceWidth, sourceHeight, sourceWidth * 3, 3, expected, width, height, width * 3);
        Resampler.Resize(rgba, sourceWidth, sourceHeight, sourceStride, 4, 3, actual, width, height, width * 3);

        // Assert
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(533, 640, 213, 256)]
    [InlineData(640, 427, 256, 171)]
    [InlineData(20, 30, 61, 47)]
    public void ResizeNormalized_RandomPixels_SameFloatsAsNormalisingTheResizedBytes(int sourceWidth, int sourceHeight, int width, int height)
    {
        // Arrange
        var random = new Random(sourceWidth + height);
        var source = new byte[sourceWidth * 3 * sourceHeight];
        random.NextBytes(source);
        int stride = width * 3 + 6;
        var bytes = new byte[width * 3 * height];
        var expected = new float[stride * height];
        var actual = new float[stride * height];
        Resampler.ResizeScalar(source, sourceWidth, sourceHeight, sourceWidth * 3, 3, bytes, width, height, width * 3);
        for (int y = 0; y < height; y++)
        {
            for (int i = 0; i < width * 3; i++)
            {
                expected[(y * stride) + i] = Normalization.MinusOneToOne.Apply(bytes[(y * width * 3) + i]);
            }
        }

        // Act
        Resampler.ResizeNormalized(source, sourceWidth, sourceHeight, sourceWidth * 3, 3, Normalization.MinusOneToOne, actual, width, height, stride);

        // Assert
        Assert.Equal(expected, actual);
    }
}
