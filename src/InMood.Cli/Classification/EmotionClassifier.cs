using InMood.Engine.Layers;
using InMood.Engine.Networks;
using InMood.Engine.Threading;
using InMood.Music;
using InMood.Onnx;
using InMood.Onnx.Compiled;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace InMood.Cli.Classification;

/// <summary>
/// Runs the emotion network on batches of face crops and turns its logits into probabilities with a
/// max-subtracted softmax. The network runs compiled for inference (its ONNX form through <see cref="CompiledModel"/>:
/// packed weights, fused epilogues, one arena reused for every face), which gives the engine's forward pass's
/// logits to float rounding in about half its time. With mirroring (classify's default) each face also runs
/// left-right mirrored and its probabilities are the mean of the two softmaxes, p = (softmax(z) + softmax(z')) / 2,
/// as <c>inmood eval --tta flip</c> measures. Not thread-safe (the compiled model reuses its arena); each thread that
/// classifies needs its own <see cref="Copy"/>.
/// </summary>
internal sealed class EmotionClassifier
{
    /// <summary>Most crops per run: the compiled model's batch (its output rows); crops run one after another on the lane's thread.</summary>
    public const int MaxBatch = 64;

    private readonly CompiledModel _model;
    private readonly bool _mirror;
    private readonly float[] _views;
    private readonly float[] _mirrored = new float[Emotions.Count];

    /// <summary>Compiles <paramref name="network"/> (inference form, [N, 1, 48, 48] -> [N, 7]) on the shared worker pool.</summary>
    public EmotionClassifier(Network network, bool mirror)
        : this(CompiledModel.Compile(OnnxExport.FromNetwork(network, shareWeights: true), MaxBatch), mirror)
    {
    }

    private EmotionClassifier(CompiledModel model, bool mirror)
    {
        _model = model;
        _mirror = mirror;
        _views = mirror ? new float[MaxBatch * ClassifySettings.FaceSize] : [];
    }

    /// <summary>A classifier sharing this one's compiled weights, with its own arena and a one-thread pool, for another thread.</summary>
    public EmotionClassifier Copy() => new(_model.CreateSibling(new WorkerPool(1)), _mirror);

    /// <summary>Shapes: crops [count, 1, 48, 48] grey / 255 -> probabilities [count, 7].</summary>
    public void Classify(ReadOnlySpan<float> crops, int count, Span<float> probabilities)
    {
        int facesPerRun = _mirror ? MaxBatch / 2 : MaxBatch;
        for (int start = 0; start < count; start += facesPerRun)
        {
            int faces = Math.Min(facesPerRun, count - start);
            ReadOnlySpan<float> batch = crops.Slice(start * ClassifySettings.FaceSize, faces * ClassifySettings.FaceSize);
            if (_mirror)
            {
                batch.CopyTo(_views);
                WriteMirrors(batch, _views.AsSpan(batch.Length, batch.Length));
                batch = _views.AsSpan(0, 2 * batch.Length);
            }

            _model.Run(batch, _mirror ? 2 * faces : faces);
            ReadOnlySpan<float> logits = _model.Output(0);
            for (int i = 0; i < faces; i++)
            {
                Span<float> target = probabilities.Slice((start + i) * Emotions.Count, Emotions.Count);
                Softmax.Apply(logits.Slice(i * Emotions.Count, Emotions.Count), target);
                if (_mirror)
                {
                    Softmax.Apply(logits.Slice((faces + i) * Emotions.Count, Emotions.Count), _mirrored);
                    TensorPrimitives.Add(target, _mirrored, target);
                    TensorPrimitives.Multiply(target, 0.5f, target);
                }
            }
        }
    }

    /// <summary>mirrors[n, y, x] = crops[n, y, 47 - x]. Shapes: [faces, 48, 48] both.</summary>
    private static void WriteMirrors(ReadOnlySpan<float> crops, Span<float> mirrors)
    {
        crops.CopyTo(mirrors);
        for (int row = 0; row < mirrors.Length; row += ClassifySettings.FaceSide)
        {
            mirrors.Slice(row, ClassifySettings.FaceSide).Reverse();
        }
    }
}
