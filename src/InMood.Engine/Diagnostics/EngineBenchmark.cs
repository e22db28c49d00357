using InMood.Engine.Gemm;
using InMood.Engine.Layers;
using InMood.Engine.Losses;
using InMood.Engine.Networks;
using InMood.Engine.Tensors;
using InMood.Engine.Threading;
using InMood.Engine.Training;

namespace InMood.Engine.Diagnostics;

/// <summary>
/// The engine's headline speeds on this machine, each against the FMA peak measured in the same run:
/// SGEMM 512^3, a 3x3 64->64 conv at 24x24 (batch 64), inference and training of <see cref="StandardNetworks.FerVgg"/>.
/// Every workload is warmed up, then timed for at least <c>seconds</c>; the best of three timings counts. The peak is
/// measured before and after the workloads, so a load that comes or goes during the run shows in <see cref="PeakStability"/>.
/// </summary>
public sealed class EngineBenchmark(WorkerPool pool, double seconds = 1.0)
{
    /// <summary>The FMA peak over both measurements (before and after the workloads), which every fraction uses.</summary>
    public double PeakGflops { get; private set; }

    public double SingleThreadPeakGflops { get; private set; }

    /// <summary>
    /// The lower peak measurement over the higher (1 on a quiet machine). Well below 1, other work shared the
    /// cores during the run and its fractions of peak are not to be trusted.
    /// </summary>
    public double PeakStability { get; private set; }

    public IReadOnlyList<BenchmarkResult> Run()
    {
        double before = FmaPeak.Measure(pool);
        BenchmarkResult[] results = [Sgemm512(), ConvForward(), NetworkForward(), TrainingStep()];
        double after = FmaPeak.Measure(pool);
        using (var single = new WorkerPool(1))
        {
            SingleThreadPeakGflops = FmaPeak.Measure(single);
        }

        PeakGflops = Math.Max(before, after);
        PeakStability = Math.Min(before, after) / PeakGflops;
        return [.. results.Select(r => r with { FractionOfPeak = r.Gflops / PeakGflops })];
    }

    private unsafe BenchmarkResult Sgemm512()
    {
        const int n = 512;
        float[] a = Filled(n * n, 1), b = Filled(n * n, 2), c = new float[n * n];
        double perSecond = Time(() =>
        {
            fixed (float* pa = a, pb = b, pc = c)
            {
                Sgemm.MultiplyParallel(pool, n, n, n, pa, n, 1, pb, n, 1, pc, n, accumulate: false);
            }
        });
        return Result("sgemm 512x512x512", "GEMM/s", perSecond, 2.0 * n * n * n);
    }

    private BenchmarkResult ConvForward()
    {
        const int batch = 64;
        var builder = new NetworkBuilder(new Shape(64, 24, 24));
        builder.Add("conv", new Conv2d(64, 64, new ConvGeometry(3, 3, 1, 1, 1, 1, 1, 1)));
        Network network = builder.Build();
        Initializer.HeNormal(network, 1);
        float[] x = Filled(batch * network.InputShape.Size, 3);
        double perSecond = Time(() => network.Forward(x, batch, training: false)) * batch;
        return Result("conv 3x3 64->64 24x24 forward, batch 64", "images/s", perSecond, network.FlopsPerSample);
    }

    private BenchmarkResult NetworkForward()
    {
        const int batch = 64;
        Network trained = StandardNetworks.FerVgg();
        Initializer.HeNormal(trained, 1);
        Network network = trained.FoldForInference();
        float[] x = Filled(batch * network.InputShape.Size, 4);
        double perSecond = Time(() => network.Forward(x, batch, training: false)) * batch;
        return Result("fer-vgg forward (folded), batch 64", "images/s", perSecond, network.FlopsPerSample);
    }

    private BenchmarkResult TrainingStep()
    {
        const int batch = 64;
        Network network = StandardNetworks.FerVgg();
        Initializer.HeNormal(network, 1);
        var optimizer = new SgdNesterov(network.Parameters());
        var loss = new SoftmaxCrossEntropy(7, 0.1f);
        float[] x = Filled(batch * network.InputShape.Size, 5);
        int[] labels = Enumerable.Range(0, batch).Select(i => i % 7).ToArray();
        float[] probabilities = new float[batch * 7], grad = new float[batch * 7];
        double perSecond = Time(() =>
        {
            network.ZeroGrad();
            Tensor logits = network.Forward(x, batch, training: true);
            loss.Compute(logits.Span, labels, probabilities, grad);
            network.Backward(grad);
            optimizer.Step(1e-3f);
        }) * batch;

        // NOTE: a training step costs about 3 forward passes (forward, input gradient, weight gradient).
        return Result("fer-vgg training step, batch 64", "images/s", perSecond, 3.0 * network.FlopsPerSample);
    }

    private BenchmarkResult Result(string name, string unit, double rate, double flopsPerUnit)
    {
        double gflops = rate * flopsPerUnit / 1e9;
        return new BenchmarkResult(name, unit, rate, gflops, double.NaN);
    }

    private double Time(Action work) => BestRate.Measure(work, seconds);

    private static float[] Filled(int length, int seed)
    {
        var random = new Random(seed);
        float[] values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return values;
    }
}
