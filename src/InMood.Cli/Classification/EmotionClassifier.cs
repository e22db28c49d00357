using InMood.Engine.Layers;
using InMood.Engine.Networks;
using InMood.Engine.Threading;
using InMood.Music;
using InMood.Onnx;
using InMood.Onnx.Compiled;

namespace InMood.Cli.Classification;

/// <summary>
/// Runs the emotion network on batches of face crops and turns its logits into probabilities with a
/// max-subtracted softmax. The network runs compiled for inference (its ONNX form through <see cref="CompiledModel"/>:
/// packed weights, fused epilogues, one arena reused for every face), which gives the engine's forward pass's
/// logits to float rounding in about half its time. Not thread-safe (the compiled model reuses its arena); each
/// thread that classifies needs its own <see cref="Copy"/>.
/// </summary>
internal sealed class EmotionClassifier
{
    /// <summary>Most faces per run: the compiled model's batch (its output rows); faces run one after another on the lane's thread.</summary>
    public const int MaxBatch = 64;

    private readonly CompiledModel _model;

    /// <summary>Compiles <paramref name="network"/> (inference form, [N, 1, 48, 48] -> [N, 7]) on the shared worker pool.</summary>
    public EmotionClassifier(Network network)
        : this(CompiledModel.Compile(OnnxExport.FromNetwork(network, shareWeights: true), MaxBatch))
    {
    }

    private EmotionClassifier(CompiledModel model) => _model = model;

    /// <summary>A classifier sharing this one's compiled weights, with its own arena and a one-thread pool, for another thread.</summary>
    public EmotionClassifier Copy() => new(_model.CreateSibling(new WorkerPool(1)));

    /// <summary>Shapes: crops [count, 1, 48, 48] grey / 255 -> probabilities [count, 7].</summary>
    public void Classify(ReadOnlySpan<float> crops, int count, Span<float> probabilities)
    {
        for (int start = 0; start < count; start += MaxBatch)
        {
            int batch = Math.Min(MaxBatch, count - start);
            _model.Run(crops.Slice(start * ClassifySettings.FaceSize, batch * ClassifySettings.FaceSize), batch);
            ReadOnlySpan<float> logits = _model.Output(0);
            for (int i = 0; i < batch; i++)
            {
                Softmax.Apply(logits.Slice(i * Emotions.Count, Emotions.Count), probabilities.Slice((start + i) * Emotions.Count, Emotions.Count));
            }
        }
    }
}
