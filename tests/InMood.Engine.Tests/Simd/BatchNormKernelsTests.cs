using InMood.Engine.Simd;

namespace InMood.Engine.Tests.Simd;

/// <summary>Each fused batch-norm pass against its element-by-element definition, at every length from 0 to 257.</summary>
public class BatchNormKernelsTests
{
    public static TheoryData<int> AllLengths => TestData.Lengths(0, 257);

    [Theory]
    [MemberData(nameof(AllLengths))]
    public void SumAndSquares_AnyLength_EqualsDefinition(int length)
    {
        float[] x = TestData.Random(length, length);

        (float sum, float squares) = BatchNormKernels.SumAndSquares(x);

        double expectedSum = 0, expectedSquares = 0;
        foreach (float v in x)
        {
            expectedSum += v;
            expectedSquares += (double)v * v;
        }

        Assert.Equal(expectedSum, sum, 1e-4);
        Assert.Equal(expectedSquares, squares, 1e-4);
    }

    [Theory]
    [MemberData(nameof(AllLengths))]
    public void ScaleShift_AnyLength_EqualsDefinition(int length)
    {
        float[] x = TestData.Random(length, length);
        float[] plain = new float[length], relu = new float[length];

        BatchNormKernels.ScaleShift(x, 1.5f, -0.25f, relu: false, plain);
        BatchNormKernels.ScaleShift(x, 1.5f, -0.25f, relu: true, relu);

        for (int i = 0; i < length; i++)
        {
            float expected = MathF.FusedMultiplyAdd(x[i], 1.5f, -0.25f);
            Assert.Equal(expected, plain[i]);
            Assert.Equal(MathF.Max(expected, 0f), relu[i]);
        }
    }

    [Theory]
    [MemberData(nameof(AllLengths))]
    public void GradientSums_AnyLength_MasksAndSumsAsDefined(int length)
    {
        float[] y = TestData.Random(length, length + 1);
        float[] x = TestData.Random(length, length + 2);
        float[] dy = TestData.Random(length, length + 3);
        float[] masked = (float[])dy.Clone(), unmasked = (float[])dy.Clone();

        (float maskedSum, float maskedDot) = BatchNormKernels.GradientSums(y, x, masked, relu: true);
        (float plainSum, float plainDot) = BatchNormKernels.GradientSums(y, x, unmasked, relu: false);

        double expectedSum = 0, expectedDot = 0, expectedPlainSum = 0, expectedPlainDot = 0;
        for (int i = 0; i < length; i++)
        {
            float g = y[i] > 0f ? dy[i] : 0f;
            Assert.Equal(g, masked[i]);
            Assert.Equal(dy[i], unmasked[i]);
            expectedSum += g;
            expectedDot += (double)g * x[i];
            expectedPlainSum += dy[i];
            expectedPlainDot += (double)dy[i] * x[i];
        }

        Assert.Equal(expectedSum, maskedSum, 1e-4);
        Assert.Equal(expectedDot, maskedDot, 1e-4);
        Assert.Equal(expectedPlainSum, plainSum, 1e-4);
        Assert.Equal(expectedPlainDot, plainDot, 1e-4);
    }

    [Theory]
    [MemberData(nameof(AllLengths))]
    public void InputGradient_AnyLength_EqualsDefinition(int length)
    {
        float[] dy = TestData.Random(length, length);
        float[] x = TestData.Random(length, length + 1);
        float[] dx = new float[length];

        BatchNormKernels.InputGradient(dy, 0.75f, x, -0.5f, 0.125f, dx);

        for (int i = 0; i < length; i++)
        {
            Assert.Equal(MathF.FusedMultiplyAdd(dy[i], 0.75f, MathF.FusedMultiplyAdd(x[i], -0.5f, 0.125f)), dx[i]);
        }
    }

    [Fact]
    public void ScaleShift_LengthsDiffer_Throws()
    {
        float[] x = new float[4], destination = new float[5];

        Assert.Throws<ArgumentException>(() => BatchNormKernels.ScaleShift(x, 1f, 0f, relu: false, destination));
    }
}
