using InMood.Vision.Imaging;

namespace InMood.Vision.Tests.Imaging;

public sealed class LetterboxTransformTests
{
    [Fact]
    public void Fit_LandscapePhoto_ScalesTheLongSideAndCentresVertically()
    {
        LetterboxTransform transform = LetterboxTransform.Fit(1280, 720, 128);

        Assert.Equal((128, 72), (transform.ScaledWidth, transform.ScaledHeight));
        Assert.Equal((0, 28), (transform.OffsetX, transform.OffsetY));
        Assert.Equal(0.1, transform.ScaleX, 9);
    }

    [Theory]
    [InlineData(1280, 720, 0, 0)]
    [InlineData(1280, 720, 1279, 719)]
    [InlineData(719, 1301, 355.5, 17.25)]
    public void ToSource_AfterToDestination_ReturnsTheSourcePoint(int width, int height, double x, double y)
    {
        LetterboxTransform transform = LetterboxTransform.Fit(width, height, 128);

        (double X, double Y) inside = transform.ToDestination(x, y);
        (double X, double Y) back = transform.ToSource(inside.X, inside.Y);

        Assert.Equal(x, back.X, 9);
        Assert.Equal(y, back.Y, 9);
    }

    [Fact]
    public void ToSource_DetectorBoxCornerInLetterbox_MapsToSourcePixels()
    {
        LetterboxTransform transform = LetterboxTransform.Fit(1280, 720, 128);

        (double X, double Y) corner = transform.ToSource(64, 28 + 36);

        Assert.Equal(640, corner.X, 9);
        Assert.Equal(360, corner.Y, 9);
    }
}
