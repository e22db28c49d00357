using InMood.Engine.Simd;

namespace InMood.Engine.Tests.Simd;

public class ElementwiseTests
{
    public static TheoryData<int> AllLengths => TestData.Lengths(0, 257);

    [Theory]
    [MemberData(nameof(AllLengths))]
    public void RunReluGrad_AnyLength_EqualsScalarDefinition(int length)
    {
        float[] x = TestData.Random(length, length);
        float[] dy = TestData.Random(length, length + 1000);
        float[] actual = new float[length];

        Elementwise.Run<ReluGrad>(x, dy, actual);

        for (int i = 0; i < length; i++)
        {
            Assert.Equal(ReluGrad.Apply(x[i], dy[i]), actual[i]);
            Assert.Equal(x[i] > 0f ? dy[i] : 0f, actual[i]);
        }
    }

    [Fact]
    public void Run_LengthsDiffer_Throws()
    {
        float[] x = new float[4], y = new float[5], destination = new float[4];

        Assert.Throws<ArgumentException>(() => Elementwise.Run<ReluGrad>(x, y, destination));
    }
}
