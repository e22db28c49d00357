using InMood.Engine.Layers;
using InMood.Engine.Networks;
using InMood.Engine.Tensors;
using InMood.Music;

namespace InMood.Cli.Classification;

/// <summary>
/// Runs the emotion network on batches of face crops and turns its logits into probabilities with a
/// max-subtracted softmax. Not thread-safe (the network reuses its activations); each thread that classifies
/// needs its own <see cref="Copy"/>. The network runs on the shared worker pool.
/// </summary>
internal sealed class EmotionClassifier(Network network)
{
    /// <summary>Most faces per forward pass: enough to fill the GEMM kernels, small enough to keep activations in cache-friendly sizes.</summary>
    public const int MaxBatch = 64;

    /// <summary>A classifier over its own copy of the network (same weights, its own activations), for another thread.</summary>
    /// <remarks>NOTE: folding copies every layer; the network is already folded, so nothing is left to fold and this is an exact copy.</remarks>
    public EmotionClassifier Copy() => new(network.FoldForInference());

    /// <summary>Shapes: crops [count, 1, 48, 48] grey / 255 -> probabilities [count, 7].</summary>
    public void Classify(ReadOnlySpan<float> crops, int count, Span<float> probabilities)
    {
        for (int start = 0; start < count; start += MaxBatch)
        {
            int batch = Math.Min(MaxBatch, count - start);
            Tensor logits = network.Forward(crops.Slice(start * ClassifySettings.FaceSize, batch * ClassifySettings.FaceSize), batch, training: false);
            for (int i = 0; i < batch; i++)
            {
                Softmax.Apply(logits.Sample(i), probabilities.Slice((start + i) * Emotions.Count, Emotions.Count));
            }
        }
    }
}
