using BenchmarkDotNet.Attributes;
using InMood.Engine.Layers;
using InMood.Engine.Networks;
using InMood.Engine.Tensors;

namespace InMood.Benchmarks;

/// <summary>
/// Forward and forward+backward of the FER network's 3x3 convolutions at their real sizes, batch 64, on all cores.
/// GFLOP/s = 2 x outC x inC x 9 x side^2 x 64 / time (x3 for forward+backward).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 2, iterationCount: 6)]
public class ConvBenchmarks
{
    private const int Batch = 64;
    private Network _network = null!;
    private float[] _x = [], _dy = [];

    [Params("1->32@48", "32->32@48", "64->64@24", "128->128@12", "256->256@6", "256->256@3")]
    public string Layer { get; set; } = "64->64@24";

    [GlobalSetup]
    public void Setup()
    {
        string[] parts = Layer.Split("->", 2);
        int inC = int.Parse(parts[0]);
        string[] rest = parts[1].Split('@');
        int outC = int.Parse(rest[0]), side = int.Parse(rest[1]);
        var builder = new NetworkBuilder(new Shape(inC, side, side));
        builder.Add("conv", new Conv2d(inC, outC, new ConvGeometry(3, 3, 1, 1, 1, 1, 1, 1), bias: false));
        _network = builder.Build();
        Initializer.HeNormal(_network, 1);
        var random = new Random(2);
        _x = Enumerable.Range(0, Batch * inC * side * side).Select(_ => (float)random.NextDouble()).ToArray();
        _dy = Enumerable.Range(0, Batch * outC * side * side).Select(_ => (float)random.NextDouble()).ToArray();
    }

    [Benchmark]
    public void Forward() => _network.Forward(_x, Batch, training: false);

    [Benchmark]
    public void ForwardBackward()
    {
        _network.Forward(_x, Batch, training: true);
        _network.Backward(_dy);
    }
}
