using InMood.Engine.Losses;

namespace InMood.Engine.Tests.Losses;

public class KnowledgeDistillationTests
{
    [Fact]
    public void Compute_AnyWeightAndTemperature_MatchesFiniteDifferences()
    {
        var loss = new KnowledgeDistillation(3, labelSmoothing: 0.1f, softWeight: 0.7f, temperature: 2.5f);
        float[] logits = TestData.Random(4 * 3, 9, 3f);
        float[] teacher = TestData.Random(4 * 3, 10, 3f);
        int[] labels = [0, 1, 2, 1];
        float[] p = new float[12], grad = new float[12], scratch = new float[12];

        loss.Compute(logits, teacher, labels, p, grad);

        for (int i = 0; i < logits.Length; i++)
        {
            float saved = logits[i];
            logits[i] = saved + 1e-2f;
            float plus = loss.Compute(logits, teacher, labels, p, scratch);
            logits[i] = saved - 1e-2f;
            float minus = loss.Compute(logits, teacher, labels, p, scratch);
            logits[i] = saved;
            Assert.Equal((plus - minus) / 2e-2f, grad[i], 2e-3f);
        }
    }

    [Fact]
    public void Compute_ZeroSoftWeight_IsTheLabelsCrossEntropy()
    {
        var distillation = new KnowledgeDistillation(3, labelSmoothing: 0.1f, softWeight: 0f, temperature: 4f);
        var crossEntropy = new SoftmaxCrossEntropy(3, labelSmoothing: 0.1f);
        float[] logits = TestData.Random(2 * 3, 3, 2f), teacher = TestData.Random(2 * 3, 4, 2f);
        int[] labels = [2, 0];
        float[] p = new float[6], grad = new float[6], expectedP = new float[6], expectedGrad = new float[6];

        float value = distillation.Compute(logits, teacher, labels, p, grad);
        float expected = crossEntropy.Compute(logits, labels, expectedP, expectedGrad);

        Assert.Equal(expected, value, 1e-6f);
        Assert.Equal(expectedGrad, grad);
        Assert.Equal(expectedP, p);
    }

    [Fact]
    public void Compute_PureSoftTargetsEqualToTheStudent_IsZeroWithZeroGradient()
    {
        var loss = new KnowledgeDistillation(4, labelSmoothing: 0f, softWeight: 1f, temperature: 3f);
        float[] logits = TestData.Random(3 * 4, 5, 4f);
        float[] eachRowShifted = [.. logits.Select((v, i) => v + (i / 4))];
        float[] p = new float[12], grad = new float[12];

        float value = loss.Compute(logits, eachRowShifted, [0, 1, 2], p, grad);

        Assert.Equal(0f, value, 1e-5f);
        Assert.All(grad, g => Assert.Equal(0f, g, 1e-6f));
    }

    [Fact]
    public void Compute_KnownTeacher_GivesTheClosedFormLoss()
    {
        var loss = new KnowledgeDistillation(2, labelSmoothing: 0f, softWeight: 1f, temperature: 1f);
        float[] p = new float[2], grad = new float[2];

        float value = loss.Compute([0f, 0f], [MathF.Log(3f), 0f], [0], p, grad);

        float kl = 0.75f * MathF.Log(0.75f / 0.5f) + 0.25f * MathF.Log(0.25f / 0.5f);
        Assert.Equal(kl, value, 1e-6f);
        Assert.Equal(0.5f - 0.75f, grad[0], 1e-6f);
        Assert.Equal(0.5f - 0.25f, grad[1], 1e-6f);
    }

    [Theory]
    [InlineData(-0.1f, 2f)]
    [InlineData(1.1f, 2f)]
    [InlineData(0.5f, 0f)]
    [InlineData(0.5f, float.NaN)]
    public void Constructor_OutOfRangeSettings_Throw(float softWeight, float temperature)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new KnowledgeDistillation(3, 0f, softWeight, temperature));
    }
}
