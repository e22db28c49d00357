using BenchmarkDotNet.Attributes;
using InMood.Engine.Gemm;

namespace InMood.Benchmarks;

/// <summary>
/// SGEMM C [m, n] = A [m, k] B [k, n] on one thread at the model's conv shapes (m = out channels, k = in channels x 9,
/// n = pixels of the output plane(s)) and at 512^3: the scalar micro-kernel is the baseline for the widest SIMD one.
/// Transposed stores A as [k, m] and B as [n, k], the layout of a conv's weight-gradient GEMM (dW = dY col^T), whose
/// packing goes through the 8 x 8 block transposes.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 2, iterationCount: 6)]
public class SgemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [];

    [Params("64x576x576", "32x2304x288", "256x288x2304", "512x512x512")]
    public string Shape { get; set; } = "512x512x512";

    [Params(false, true)]
    public bool Transposed { get; set; }

    private (int M, int N, int K) Size
    {
        get
        {
            int[] d = Shape.Split('x').Select(int.Parse).ToArray();
            return (d[0], d[1], d[2]);
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        (int m, int n, int k) = Size;
        var random = new Random(1);
        _a = Enumerable.Range(0, m * k).Select(_ => (float)random.NextDouble()).ToArray();
        _b = Enumerable.Range(0, k * n).Select(_ => (float)random.NextDouble()).ToArray();
        _c = new float[m * n];
    }

    [Benchmark(Baseline = true)]
    public void ScalarKernel() => Run(GemmKernel.Scalar);

    [Benchmark]
    public void BestKernel() => Run(GemmKernels.Best);

    private void Run(GemmKernel kernel)
    {
        (int m, int n, int k) = Size;
        Sgemm.Multiply(_a, Transposed, _b, Transposed, _c, m, n, k, accumulate: false, kernel);
    }
}
