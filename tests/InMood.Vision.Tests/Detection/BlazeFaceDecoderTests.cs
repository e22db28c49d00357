using InMood.Vision.Detection;

namespace InMood.Vision.Tests.Detection;

public sealed class BlazeFaceDecoderTests
{
    [Fact]
    public void Decode_HandMadeRawOutput_GivesBoxKeyPointsAndSigmoidScore()
    {
        float[] scores = Enumerable.Repeat(-10f, 896).ToArray();
        float[] boxes = new float[896 * 16];
        int anchor = 512 + (((3 * 8) + 2) * 6);
        scores[anchor] = 2f;
        float[] raw = [8f, -4f, 64f, 32f, -10f, -6f, 10f, -6f, 0f, 2f, 0f, 12f, -20f, 0f, 20f, 0f];
        raw.CopyTo(boxes, anchor * 16);

        List<FaceDetection> faces = BlazeFaceDecoder.Decode(scores, boxes, 128, 0.5f);

        FaceDetection face = Assert.Single(faces);
        float cx = 2.5f / 8 + (8f / 128), cy = 3.5f / 8 - (4f / 128);
        Assert.Equal(1f / (1f + MathF.Exp(-2f)), face.Score, 6);
        Assert.Equal(cx - 0.25f, face.Box.Left, 6);
        Assert.Equal(cx + 0.25f, face.Box.Right, 6);
        Assert.Equal(cy - 0.125f, face.Box.Top, 6);
        Assert.Equal(cy + 0.125f, face.Box.Bottom, 6);
        Assert.Equal(2.5f / 8 - (10f / 128), face[FaceKeyPoint.RightEye].X, 6);
        Assert.Equal(3.5f / 8 + (12f / 128), face[FaceKeyPoint.Mouth].Y, 6);
        Assert.Equal(2.5f / 8 + (20f / 128), face[FaceKeyPoint.LeftEar].X, 6);
    }

    [Fact]
    public void Decode_AllBelowThreshold_ReturnsNothing()
    {
        float[] scores = Enumerable.Repeat(0f, 896).ToArray();

        List<FaceDetection> faces = BlazeFaceDecoder.Decode(scores, new float[896 * 16], 256, 0.6f);

        Assert.Empty(faces);
    }

    [Fact]
    public void Decode_WrongLengths_ThrowsNamingBoth()
    {
        var exception = Assert.Throws<ArgumentException>(() => BlazeFaceDecoder.Decode(new float[10], new float[896 * 16], 256, 0.5f));

        Assert.Contains("896 scores", exception.Message, StringComparison.Ordinal);
    }
}
