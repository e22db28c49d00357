using InMood.Engine.Layers;
using InMood.Engine.Networks;
using InMood.Engine.Tensors;
using InMood.Training.Data;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace InMood.Training;

/// <summary>
/// Per-channel moments of a network's activations over un-augmented images, in inference mode: what a batch norm's
/// running statistics estimate during training. Used to give batch norms statistics that match weights they were not
/// trained with (unfolded exported weights, averaged weights).
/// </summary>
public static class BatchNormStatistics
{
    /// <summary>Default number of calibration images: enough for stable per-channel statistics (36 values a channel and image on FerVgg's smallest maps).</summary>
    public const int DefaultImages = 2048;

    /// <summary>Copies of every batch norm's running mean and variance, in node order, for <see cref="Restore"/>.</summary>
    public static float[][] Snapshot(Network network) =>
        [.. Norms(network).SelectMany(n => (float[][])[(float[])n.RunningMean.Clone(), (float[])n.RunningVar.Clone()])];

    /// <summary>Puts back the running statistics a <see cref="Snapshot"/> of this network took.</summary>
    public static void Restore(Network network, float[][] snapshot)
    {
        int i = 0;
        foreach (BatchNorm2d norm in Norms(network))
        {
            snapshot[i++].CopyTo(norm.RunningMean, 0);
            snapshot[i++].CopyTo(norm.RunningVar, 0);
        }
    }

    /// <summary>
    /// Sets every batch norm's running mean and variance to the mean and (biased) variance of its input over the first
    /// <paramref name="images"/> of a fixed shuffle of <paramref name="calibration"/>, in network order: each batch
    /// norm is measured with the ones before it already set, so every layer sees the activations it will see at
    /// inference. Cost: one pass over the images per batch norm, each only as far as that batch norm.
    /// </summary>
    public static void Recalibrate(Network network, FerDataset calibration, int images, int batch)
    {
        images = Math.Min(images, calibration.Count);
        foreach (Node node in network.Nodes.Where(n => n.Layer is BatchNorm2d))
        {
            var norm = (BatchNorm2d)node.Layer!;
            Node input = network.Nodes[node.Inputs[0]];
            (double[] sum, double[] squares) = Measure(network, [input], calibration, images, batch)[0];
            double count = (double)images * input.Shape.Plane;
            for (int c = 0; c < sum.Length; c++)
            {
                double mean = sum[c] / count;
                norm.RunningMean[c] = (float)mean;
                norm.RunningVar[c] = (float)Math.Max((squares[c] / count) - (mean * mean), 0);
            }
        }
    }

    /// <summary>
    /// Per-channel sums of x and x^2 at each of <paramref name="sources"/>' outputs ([C, H, W] each), over the first
    /// <paramref name="images"/> of a fixed shuffle of <paramref name="calibration"/> (inference mode, batches of
    /// <paramref name="batch"/>; the network runs only as far as the last source). Shapes: Sum, Squares [C] per source.
    /// </summary>
    public static (double[] Sum, double[] Squares)[] Measure(Network network, IReadOnlyList<Node> sources, FerDataset calibration, int images, int batch)
    {
        var moments = sources.Select(s => (new double[s.Shape.Channels], new double[s.Shape.Channels])).ToArray();
        int last = sources.Max(s => IndexOf(network, s));
        int[] order = Trainer.Shuffle(calibration.Count, seed: 0, epoch: 0);
        float[] input = new float[batch * FerDataset.ImageSize];
        int[] labels = new int[batch];
        for (int start = 0; start < images; start += batch)
        {
            int n = Math.Min(batch, images - start);
            FerBatchWriter.Write(calibration, order.AsMemory(start, n), null, 0, parallel: true, input.AsMemory(0, n * FerDataset.ImageSize), labels.AsMemory(0, n));
            network.Forward(input.AsSpan(0, n * FerDataset.ImageSize), n, training: false, last);
            for (int s = 0; s < sources.Count; s++)
            {
                Accumulate(sources[s].Output, n, moments[s].Item1, moments[s].Item2);
            }
        }

        return moments;
    }

    private static IEnumerable<BatchNorm2d> Norms(Network network) => network.Nodes.Select(n => n.Layer).OfType<BatchNorm2d>();

    private static int IndexOf(Network network, Node node)
    {
        for (int i = 0; i < network.Nodes.Count; i++)
        {
            if (ReferenceEquals(network.Nodes[i], node))
            {
                return i;
            }
        }

        throw new ArgumentException($"node {node.Name} is not in the network.", nameof(node));
    }

    /// <summary>Adds one batch's [n, C, H, W] activations to the per-channel sums.</summary>
    private static void Accumulate(Tensor output, int n, double[] sum, double[] squares)
    {
        int plane = output.Shape.Plane;
        for (int i = 0; i < n; i++)
        {
            Span<float> sample = output.Sample(i);
            for (int c = 0; c < sum.Length; c++)
            {
                Span<float> values = sample.Slice(c * plane, plane);
                sum[c] += TensorPrimitives.Sum(values);
                squares[c] += TensorPrimitives.SumOfSquares(values);
            }
        }
    }
}
