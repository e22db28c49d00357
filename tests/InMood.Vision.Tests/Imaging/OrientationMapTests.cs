using InMood.Vision.Imaging;

namespace InMood.Vision.Tests.Imaging;

/// <summary>The upright RGBA-to-RGB shortcut against the general orientation walk (orientation 2 mirrored back).</summary>
public sealed class OrientationMapTests
{
    public static TheoryData<int> Widths() => [.. Enumerable.Range(0, 41)];

    [Theory]
    [MemberData(nameof(Widths))]
    public void Copy_UprightRgba_SameBytesAsMirroringTheMirroredWalk(int width)
    {
        // Arrange
        const int height = 3;
        var random = new Random(width);
        int stride = width * 4 + 8;
        var rgba = new byte[stride * height];
        random.NextBytes(rgba);
        var mirrored = new byte[width * 3 * height];
        var actual = new byte[width * 3 * height];

        // Act
        OrientationMap.Copy(rgba, width, height, stride, 4, 2, 3, mirrored);
        OrientationMap.Copy(rgba, width, height, stride, 4, 1, 3, actual);

        // Assert
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                Assert.Equal(mirrored.AsSpan(((y * width) + (width - 1 - x)) * 3, 3).ToArray(), actual.AsSpan(((y * width) + x) * 3, 3).ToArray());
            }
        }
    }
}
