using InMood.Engine.Losses;

namespace InMood.Engine.Tests.Losses;

public class SoftmaxCrossEntropyTests
{
    [Fact]
    public void Compute_LargeLogits_IsFinite()
    {
        var loss = new SoftmaxCrossEntropy(2);
        float[] p = new float[2], grad = new float[2];

        float value = loss.Compute([1000f, 1001f], [0], p, grad);

        Assert.Equal(1f + MathF.Log(1f + MathF.Exp(-1f)), value, 1e-5f);
        Assert.All(grad, g => Assert.True(float.IsFinite(g)));
    }

    [Fact]
    public void Compute_SmoothingAndWeights_MatchesFiniteDifferences()
    {
        var loss = new SoftmaxCrossEntropy(3, labelSmoothing: 0.1f, classWeights: [1f, 2f, 0.5f]);
        float[] logits = TestData.Random(4 * 3, 9, 3f);
        int[] labels = [0, 1, 2, 1];
        float[] p = new float[12], grad = new float[12], scratch = new float[12];

        loss.Compute(logits, labels, p, grad);

        for (int i = 0; i < logits.Length; i++)
        {
            float saved = logits[i];
            logits[i] = saved + 1e-2f;
            float plus = loss.Compute(logits, labels, p, scratch);
            logits[i] = saved - 1e-2f;
            float minus = loss.Compute(logits, labels, p, scratch);
            logits[i] = saved;
            Assert.Equal((plus - minus) / 2e-2f, grad[i], 2e-3f);
        }
    }

    [Fact]
    public void Compute_LabelOutOfRange_Throws()
    {
        var loss = new SoftmaxCrossEntropy(3);

        Assert.Throws<ArgumentOutOfRangeException>(() => loss.Compute(new float[3], [3], new float[3], new float[3]));
    }
}
