using InMood.Engine.Gemm;
using InMood.Engine.Threading;

namespace InMood.Engine.Tests.Gemm;

public class SgemmTests
{
    public static TheoryData<GemmKernel, int, int, int> Shapes()
    {
        var data = new TheoryData<GemmKernel, int, int, int>();
        (int, int, int)[] shapes =
        [
            (1, 1, 1), (1, 7, 1), (5, 3, 1), (7, 33, 5), (13, 17, 19), (8, 32, 256), (9, 33, 257),
            (31, 65, 300), (64, 576, 64), (97, 129, 1), (130, 520, 70), (3, 1, 600), (200, 3, 9),
        ];
        foreach (GemmKernel kernel in GemmKernels.Available)
        {
            foreach ((int m, int n, int k) in shapes)
            {
                data.Add(kernel, m, n, k);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Multiply_AnyShapeAndTranspose_EqualsNaiveDefinition(GemmKernel kernel, int m, int n, int k)
    {
        foreach (bool transposeA in (bool[])[false, true])
        {
            foreach (bool transposeB in (bool[])[false, true])
            {
                float[] a = TestData.Random(m * k, m + k);
                float[] b = TestData.Random(k * n, n + k + 1);
                float[] c = TestData.Random(m * n, 7);
                float[] expected = Naive(a, transposeA, b, transposeB, c, m, n, k, accumulate: true);

                Sgemm.Multiply(a, transposeA, b, transposeB, c, m, n, k, accumulate: true, kernel);

                TestData.AssertClose(expected, c, 1e-4f * Math.Max(1, k / 16), $"{kernel} {m}x{n}x{k} tA={transposeA} tB={transposeB}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public unsafe void MultiplyRowOffsets_AnyShape_EqualsNaiveDefinitionOfTheGatheredB(GemmKernel kernel, int m, int n, int k)
    {
        int nr = GemmKernels.Columns(kernel);
        int readable = (n + nr - 1) / nr * nr;
        float[] source = TestData.Random(3 * k + readable + 40, n + 3);
        int[] offsets = Enumerable.Range(0, k).Select(p => (p * 7919 + 13) % (3 * k + 40)).ToArray();
        float[] gathered = new float[k * n];
        for (int p = 0; p < k; p++)
        {
            source.AsSpan(offsets[p], n).CopyTo(gathered.AsSpan(p * n, n));
        }

        float[] a = TestData.Random(m * k, m + k);
        float[] c = TestData.Random(m * n, 7);
        float[] expected = Naive(a, false, gathered, false, c, m, n, k, accumulate: true);

        fixed (float* pa = a, pb = source, pc = c)
        fixed (int* po = offsets)
        {
            Sgemm.MultiplyRowOffsets(kernel, m, n, k, pa, k, 1, pb, po, pc, n, accumulate: true);
        }

        TestData.AssertClose(expected, c, 1e-4f * Math.Max(1, k / 16), $"{kernel} {m}x{n}x{k}");
    }

    [Fact]
    public void Multiply_NotAccumulating_OverwritesGarbage()
    {
        float[] a = TestData.Random(6 * 5, 1), b = TestData.Random(5 * 40, 2);
        float[] c = Enumerable.Repeat(float.NaN, 6 * 40).ToArray();
        float[] expected = Naive(a, false, b, false, new float[6 * 40], 6, 40, 5, accumulate: false);

        Sgemm.Multiply(a, false, b, false, c, 6, 40, 5, accumulate: false, GemmKernels.Best);

        TestData.AssertClose(expected, c, 1e-5f);
    }

    [Fact]
    public void Multiply_KIsZero_ClearsOrKeepsC()
    {
        float[] c = [1f, 2f, 3f, 4f];

        Sgemm.Multiply([], false, [], false, c, 2, 2, 0, accumulate: true, GemmKernels.Best);
        float[] kept = (float[])c.Clone();
        Sgemm.Multiply([], false, [], false, c, 2, 2, 0, accumulate: false, GemmKernels.Best);

        Assert.Equal([1f, 2f, 3f, 4f], kept);
        Assert.Equal([0f, 0f, 0f, 0f], c);
    }

    [Theory]
    [InlineData(512, 512, 512)]
    [InlineData(33, 700, 100)]
    [InlineData(700, 20, 50)]
    public unsafe void MultiplyParallel_TwoWorkers_EqualsNaiveDefinition(int m, int n, int k)
    {
        using var pool = new WorkerPool(2);
        float[] a = TestData.Random(m * k, 1), b = TestData.Random(k * n, 2), c = new float[m * n];
        float[] expected = Naive(a, false, b, false, new float[m * n], m, n, k, accumulate: false);

        fixed (float* pa = a, pb = b, pc = c)
        {
            Sgemm.MultiplyParallel(pool, m, n, k, pa, k, 1, pb, n, 1, pc, n, accumulate: false);
        }

        TestData.AssertClose(expected, c, 1e-3f);
    }

    private static float[] Naive(float[] a, bool transposeA, float[] b, bool transposeB, float[] c, int m, int n, int k, bool accumulate)
    {
        float[] result = (float[])c.Clone();
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = accumulate ? result[i * n + j] : 0;
                for (int p = 0; p < k; p++)
                {
                    float av = transposeA ? a[p * m + i] : a[i * k + p];
                    float bv = transposeB ? b[j * k + p] : b[p * n + j];
                    sum += (double)av * bv;
                }

                result[i * n + j] = (float)sum;
            }
        }

        return result;
    }
}
