using InMood.Engine.Layers;
using InMood.Engine.Networks;
using InMood.Training.Data;

namespace InMood.Training;

/// <summary>
/// Starts a trainable network (conv without bias, then batch norm) from inference weights whose batch norms were
/// folded into the convs (W', b'), keeping the function. Each conv takes W'; its batch norm gets the per-channel
/// mean m and variance v of z = W' x measured on calibration images, and gamma = sqrt(v + eps), beta = m + b'.
/// Then gamma (z - m) / sqrt(v + eps) + beta = z + b' at inference, folding again gives back (W', b'), and in
/// training mode the batch statistics are close to (m, v), so a warm restart begins at the shipped model.
/// </summary>
public static class BatchNormUnfolding
{
    /// <summary>
    /// Loads <paramref name="folded"/> (an inference network with the architecture <paramref name="network"/> folds
    /// to, or a narrower one of the same layout, first embedded by <see cref="NetworkWidening"/> with new weights drawn
    /// from <paramref name="seed"/>) into <paramref name="network"/>, measuring the batch-norm statistics on
    /// <paramref name="calibration"/>.
    /// </summary>
    public static void Load(Network folded, Network network, FerDataset calibration, int batch, int seed)
    {
        Network expected = network.FoldForInference();
        if (folded.ToSpec() != expected.ToSpec())
        {
            NetworkWidening.Embed(folded, expected, seed);
            folded = expected;
        }

        Dictionary<string, float[]> weights = folded.Parameters().ToDictionary(p => p.Name, p => p.Parameter.Value, StringComparer.Ordinal);
        List<(Node Conv, BatchNorm2d Norm)> pairs = ConvNormPairs(network);
        foreach ((string name, Parameter parameter) in network.Parameters())
        {
            if (weights.TryGetValue(name, out float[]? value))
            {
                value.CopyTo(parameter.Value, 0);
            }
        }

        foreach ((Node conv, BatchNorm2d norm) in pairs)
        {
            weights[$"{conv.Name}.bias"].CopyTo(norm.Beta.Value, 0);
            Array.Fill(norm.Gamma.Value, 1f);
            Array.Fill(norm.RunningMean, 0f);
            Array.Fill(norm.RunningVar, 1f - norm.Epsilon);
        }

        int images = Math.Min(BatchNormStatistics.DefaultImages, calibration.Count);
        (double[] Sum, double[] Squares)[] moments = BatchNormStatistics.Measure(network, [.. pairs.Select(p => p.Conv)], calibration, images, batch);
        for (int p = 0; p < pairs.Count; p++)
        {
            BatchNorm2d norm = pairs[p].Norm;
            double count = (double)images * pairs[p].Conv.Shape.Plane;
            for (int c = 0; c < norm.RunningMean.Length; c++)
            {
                double mean = moments[p].Sum[c] / count;
                double variance = Math.Max(moments[p].Squares[c] / count - mean * mean, 0);
                norm.RunningMean[c] = (float)mean;
                norm.RunningVar[c] = (float)variance;
                norm.Gamma.Value[c] = MathF.Sqrt((float)variance + norm.Epsilon);
                norm.Beta.Value[c] += (float)mean;
            }
        }
    }

    /// <summary>Each conv whose output feeds a batch norm directly, with that batch norm.</summary>
    private static List<(Node Conv, BatchNorm2d Norm)> ConvNormPairs(Network network) =>
        [.. network.Nodes
            .Where(n => n.Layer is BatchNorm2d && network.Nodes[n.Inputs[0]].Layer is Conv2d)
            .Select(n => (network.Nodes[n.Inputs[0]], (BatchNorm2d)n.Layer!))];
}
