using System.Diagnostics;
using System.Globalization;
using InMood.Engine.Diagnostics;
using InMood.Engine.Losses;
using InMood.Engine.Networks;
using InMood.Engine.Tensors;
using InMood.Engine.Threading;
using InMood.Engine.Training;

namespace InMood.Benchmarks;

/// <summary>
/// Where a FerVgg training step goes (the step of <c>inmood bench</c> and <c>inmood train</c>: forward with dropout,
/// softmax cross-entropy, backward, SGD with Nesterov momentum, batch 64): each layer's forward and backward wall time
/// from <see cref="Network.NodeTicks"/>, and for the convs and dense layers their rate as a share of the FMA peak
/// measured in the same process (a layer's forward and backward together do 3 x its forward FLOPs). Run:
/// <c>dotnet run -c Release --project benchmarks/InMood.Benchmarks -- profile-train [threads] [steps]</c>.
/// </summary>
public static class TrainingProfile
{
    private const int Batch = 64;
    private const int WarmUpSteps = 3;

    public static void Run(int threads, int steps)
    {
        WorkerPool.SetSharedWorkers(threads);
        double peak = FmaPeak.Measure(WorkerPool.Shared);
        Network network = StandardNetworks.FerVgg();
        Initializer.HeNormal(network, 1);
        var optimizer = new SgdNesterov(network.Parameters());
        var loss = new SoftmaxCrossEntropy(7, 0.1f);
        var random = new Random(5);
        float[] x = [.. Enumerable.Range(0, Batch * network.InputShape.Size).Select(_ => random.NextSingle())];
        int[] labels = [.. Enumerable.Range(0, Batch).Select(i => i % 7)];
        float[] probabilities = new float[Batch * 7], grad = new float[Batch * 7];
        long zeroTicks = 0, lossTicks = 0, optimizerTicks = 0, total = 0, allocated = 0;
        int collections = 0;
        for (int step = 0; step < WarmUpSteps + steps; step++)
        {
            if (step == WarmUpSteps)
            {
                network.NodeTicks = new long[2 * network.Nodes.Count];
                zeroTicks = lossTicks = optimizerTicks = total = 0;
                allocated = GC.GetTotalAllocatedBytes(precise: true);
                collections = GC.CollectionCount(0);
            }

            long start = Stopwatch.GetTimestamp();
            network.ZeroGrad();
            long zeroed = Stopwatch.GetTimestamp();
            Tensor logits = network.Forward(x, Batch, training: true);
            long lossStart = Stopwatch.GetTimestamp();
            loss.Compute(logits.Span, labels, probabilities, grad);
            long lossEnd = Stopwatch.GetTimestamp();
            network.Backward(grad);
            long stepStart = Stopwatch.GetTimestamp();
            optimizer.Step(1e-3f);
            long end = Stopwatch.GetTimestamp();
            zeroTicks += zeroed - start;
            lossTicks += lossEnd - lossStart;
            optimizerTicks += end - stepStart;
            total += end - start;
        }

        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        collections = GC.CollectionCount(0) - collections;
        long[] ticks = network.NodeTicks!;
        int nodes = network.Nodes.Count;
        double Ms(long t) => t * 1000.0 / Stopwatch.Frequency / steps;
        double stepMs = Ms(total);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"FerVgg training step, batch {Batch}, {threads} thread(s), mean of {steps} steps: {stepMs:F1} ms ({Batch * 1000 / stepMs:F0} images/s); FMA peak {peak:F1} GFLOP/s; {allocated / steps} bytes allocated per step, {collections} gen-0 collections"));
        Console.WriteLine("| node | kind | forward ms | backward ms | share of step | GFLOP/s (3 x forward FLOPs) | % of peak |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        for (int i = 1; i < nodes; i++)
        {
            Node node = network.Nodes[i];
            double forward = Ms(ticks[i]), backward = Ms(ticks[nodes + i]);
            long flops = network.NodeFlopsPerSample(i);
            double gflops = flops == 0 ? 0 : 3.0 * flops * Batch / ((forward + backward) / 1000) / 1e9;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {node.Name} | {node.Layer!.Kind} | {forward:F2} | {backward:F2} | {(forward + backward) / stepMs:P1} | {(flops == 0 ? "" : gflops.ToString("F1", CultureInfo.InvariantCulture))} | {(flops == 0 ? "" : (gflops / peak).ToString("P1", CultureInfo.InvariantCulture))} |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| (zero grads) | | {Ms(zeroTicks):F2} | | {Ms(zeroTicks) / stepMs:P1} | | |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| (loss) | | {Ms(lossTicks):F2} | | {Ms(lossTicks) / stepMs:P1} | | |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| (SGD step) | | {Ms(optimizerTicks):F2} | | {Ms(optimizerTicks) / stepMs:P1} | | |"));
        double convForward = 0, convBackward = 0;
        for (int i = 1; i < nodes; i++)
        {
            if (network.NodeFlopsPerSample(i) > 0)
            {
                convForward += Ms(ticks[i]);
                convBackward += Ms(ticks[nodes + i]);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"layers with multiplies (conv, dense): forward {convForward:F1} ms, backward {convBackward:F1} ms, {(convForward + convBackward) / stepMs:P1} of the step; the rest {stepMs - convForward - convBackward:F1} ms"));
    }
}
