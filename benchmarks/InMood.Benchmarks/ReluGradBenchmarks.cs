using BenchmarkDotNet.Attributes;
using InMood.Engine.Simd;

namespace InMood.Benchmarks;

/// <summary>ReLU backward over one activation of the first stage (64 x 32 x 48 x 48 floats): the scalar loop is the baseline.</summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 2, iterationCount: 6)]
public class ReluGradBenchmarks
{
    private float[] _x = [], _dy = [], _dx = [];

    [Params(2304, 64 * 32 * 48 * 48)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _x = Enumerable.Range(0, Length).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        _dy = Enumerable.Range(0, Length).Select(_ => (float)random.NextDouble()).ToArray();
        _dx = new float[Length];
    }

    [Benchmark(Baseline = true)]
    public void Scalar()
    {
        for (int i = 0; i < _x.Length; i++)
        {
            _dx[i] = ReluGrad.Apply(_x[i], _dy[i]);
        }
    }

    [Benchmark]
    public void Simd() => Elementwise.Run<ReluGrad>(_x, _dy, _dx);
}
