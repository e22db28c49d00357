using InMood.Onnx.Compiled;

namespace InMood.Onnx.Tests.Compiled;

/// <summary>The conv GEMM kernel against its definition on ragged shapes (tile edges, overlapping 16- and 48-column edges, narrow paths, deep K).</summary>
public sealed class ConvKernelTests
{
    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int m in (int[])[1, 2, 7, 8, 9, 17, 24])
        {
            foreach (int n in (int[])[1, 7, 8, 15, 16, 17, 47, 48, 49, 81, 95, 100])
            {
                foreach (int k in (int[])[1, 3, 20, 300])
                {
                    data.Add(m, n, k);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Run_RaggedShape_EqualsDefinition(int m, int n, int k) => RunAndCheck(m, n, k, copyPanels: false);

    /// <summary>More than 32 rows: the 48-column panels of B are copied into the scratch first.</summary>
    [Theory]
    [InlineData(33, 100, 20)]
    [InlineData(40, 49, 3)]
    [InlineData(64, 96, 300)]
    [InlineData(40, 81, 7)]
    [InlineData(64, 225, 30)]
    public void Run_ManyRowTilesWithPanelCopies_EqualsDefinition(int m, int n, int k) => RunAndCheck(m, n, k, copyPanels: true);

    private static unsafe void RunAndCheck(int m, int n, int k, bool copyPanels)
    {
        float[] w = TestGraphs.Random(m * k, seed: 1), bias = TestGraphs.Random(m, seed: 2);
        int ldb = n + 3, ldr = n + 1, ldc = n + 2, residualRows = Math.Max(0, m - 1);
        float[] b = TestGraphs.Random(k * ldb, seed: 3), r = TestGraphs.Random(Math.Max(1, residualRows) * ldr, seed: 4);
        int[] rows = [.. Enumerable.Range(0, k).Select(p => p * ldb)];
        float[] packed = ConvKernel.Pack(w, m, k);
        float[] c = new float[m * ldc];
        float[] expected = new float[m * ldc];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = bias[i] + (i < residualRows ? r[(i * ldr) + j] : 0f);
                for (int p = 0; p < k; p++)
                {
                    sum += w[(i * k) + p] * b[(p * ldb) + j];
                }

                expected[(i * ldc) + j] = Math.Max(0f, (float)sum);
            }
        }

        float[] panel = new float[Math.Max(1, ConvKernel.PanelFloats(m, k))];
        fixed (float* ppacked = packed, pb = b, pbias = bias, pr = r, pc = c, ppanel = panel)
        fixed (int* prows = rows)
        {
            ConvKernel.Run(m, n, k, ppacked, pb, prows, pbias, pr, ldr, residualRows, pc, ldc, relu: true, copyPanels ? ppanel : null);
        }

        for (int i = 0; i < c.Length; i++)
        {
            Assert.True(Math.Abs(c[i] - expected[i]) <= 1e-4f, $"C[{i / ldc}, {i % ldc}] = {c[i]}, expected {expected[i]} (panel copies: {copyPanels})");
        }
    }
}
