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
}
