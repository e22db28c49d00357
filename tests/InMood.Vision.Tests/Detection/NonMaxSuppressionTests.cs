using InMood.Vision.Detection;

namespace InMood.Vision.Tests.Detection;

public sealed class NonMaxSuppressionTests
{
    private static readonly FacePoint[] s_points = [.. Enumerable.Repeat(new FacePoint(0f, 0f), 6)];

    [Fact]
    public void Plain_OverlappingAndSeparateBoxes_KeepsBestOfEachGroup()
    {
        FaceDetection a = Face(0f, 0f, 10f, 10f, 0.9f), b = Face(1f, 1f, 11f, 11f, 0.8f), c = Face(50f, 50f, 60f, 60f, 0.7f);

        List<FaceDetection> kept = NonMaxSuppression.Plain([c, b, a], 0.3f);

        Assert.Equal([a, c], kept);
    }

    [Fact]
    public void Plain_OverlapBelowThreshold_KeepsBoth()
    {
        FaceDetection a = Face(0f, 0f, 10f, 10f, 0.9f), b = Face(6f, 0f, 16f, 10f, 0.8f);

        List<FaceDetection> kept = NonMaxSuppression.Plain([a, b], 0.3f);

        Assert.Equal(2, kept.Count);
    }

    [Fact]
    public void Weighted_OverlappingBoxes_AveragesByScoreAndKeepsBestScore()
    {
        FaceDetection a = Face(0f, 0f, 10f, 10f, 0.75f), b = Face(2f, 2f, 12f, 12f, 0.25f), c = Face(50f, 50f, 60f, 60f, 0.6f);

        List<FaceDetection> merged = NonMaxSuppression.Weighted([b, c, a], 0.3f);

        Assert.Equal(2, merged.Count);
        Assert.Equal(0.5f, merged[0].Box.Left, 5);
        Assert.Equal(0.5f, merged[0].Box.Top, 5);
        Assert.Equal(10.5f, merged[0].Box.Right, 5);
        Assert.Equal(10.5f, merged[0].Box.Bottom, 5);
        Assert.Equal(0.75f, merged[0].Score);
        Assert.Equal(50f, merged[1].Box.Left, 4);
        Assert.Equal(60f, merged[1].Box.Bottom, 4);
    }

    private static FaceDetection Face(float left, float top, float right, float bottom, float score) => new(new FaceBox(left, top, right, bottom), score, s_points);
}
