using InMood.Vision.Detection;
using InMood.Vision.Imaging;

namespace InMood.Vision.Tests.Detection;

public sealed class LetterboxMappingTests
{
    [Theory]
    [InlineData(1024, 683, 256)]
    [InlineData(533, 640, 128)]
    [InlineData(300, 300, 256)]
    public void ToSource_PointsMappedIntoTheInput_ComeBackToTheirSourcePixels(int width, int height, int size)
    {
        LetterboxTransform letterbox = LetterboxTransform.Fit(width, height, size);
        (float X, float Y)[] source = [(0f, 0f), (width * 0.25f, height * 0.75f), (width - 1f, height - 1f)];
        FacePoint[] normalised = [.. source.Select(p =>
        {
            (double x, double y) = letterbox.ToDestination(p.X, p.Y);
            return new FacePoint((float)(x / size), (float)(y / size));
        })];
        var face = new FaceDetection(new FaceBox(normalised[0].X, normalised[0].Y, normalised[2].X, normalised[2].Y), 0.9f, [.. normalised, .. normalised]);

        FaceDetection mapped = BlazeFaceDetector.ToSource(face, letterbox, width, height);

        for (int i = 0; i < source.Length; i++)
        {
            Assert.Equal(source[i].X, mapped.KeyPoints[i].X, 0.01f);
            Assert.Equal(source[i].Y, mapped.KeyPoints[i].Y, 0.01f);
        }

        Assert.Equal(new FaceBox(0f, 0f, width - 1f, height - 1f), mapped.Box with
        {
            Left = MathF.Round(mapped.Box.Left, 2),
            Top = MathF.Round(mapped.Box.Top, 2),
            Right = MathF.Round(mapped.Box.Right, 2),
            Bottom = MathF.Round(mapped.Box.Bottom, 2),
        });
    }

    [Fact]
    public void ToSource_BoxOutsideTheImage_IsClipped()
    {
        LetterboxTransform letterbox = LetterboxTransform.Fit(200, 100, 128);
        var face = new FaceDetection(new FaceBox(-0.1f, 0.1f, 1.1f, 0.9f), 0.9f, [.. Enumerable.Repeat(new FacePoint(0.5f, 0.5f), 6)]);

        FaceDetection mapped = BlazeFaceDetector.ToSource(face, letterbox, 200, 100);

        Assert.Equal(0f, mapped.Box.Left);
        Assert.Equal(0f, mapped.Box.Top);
        Assert.Equal(200f, mapped.Box.Right);
        Assert.Equal(100f, mapped.Box.Bottom);
    }
}
