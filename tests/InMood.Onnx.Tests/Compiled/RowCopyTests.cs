using InMood.Onnx.Compiled;

namespace InMood.Onnx.Tests.Compiled;

/// <summary>The row copies of padding and phase splitting against their definitions at every length the models use and past them.</summary>
public sealed class RowCopyTests
{
    private const float Guard = -7f;

    public static TheoryData<int> Lengths()
    {
        var data = new TheoryData<int>();
        for (int n = 0; n <= 100; n++)
        {
            data.Add(n);
        }

        return data;
    }

    /// <summary>Each half gets exactly its elements (first[i] = src[2 i], second[i] = src[2 i + 1]) and nothing past them is written.</summary>
    [Theory]
    [MemberData(nameof(Lengths))]
    public unsafe void Deinterleave2_AnyLength_SplitsByParityAndWritesNothingPast(int n)
    {
        float[] source = TestGraphs.Random(n + 1, seed: n);
        float[] first = Enumerable.Repeat(Guard, ((n + 1) / 2) + 20).ToArray();
        float[] second = Enumerable.Repeat(Guard, (n / 2) + 20).ToArray();

        fixed (float* src = source, a = first, b = second)
        {
            RowCopy.Deinterleave2(src, n, a, b);
        }

        for (int i = 0; i < first.Length; i++)
        {
            Assert.Equal(2 * i < n ? source[2 * i] : Guard, first[i]);
        }

        for (int i = 0; i < second.Length; i++)
        {
            Assert.Equal((2 * i) + 1 < n ? source[(2 * i) + 1] : Guard, second[i]);
        }
    }
}
