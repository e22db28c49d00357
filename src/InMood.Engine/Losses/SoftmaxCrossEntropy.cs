using InMood.Engine.Layers;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace InMood.Engine.Losses;

/// <summary>
/// Softmax cross-entropy with label smoothing and per-class weights, on logits [N, K]:
/// p = softmax(z) (max subtracted first), q = (1 - eps) onehot(y) + eps / K,
/// L = sum_n w[y_n] * (-sum_k q_k log p_k) / sum_n w[y_n],  dL/dz_n = w[y_n] (p_n - q_n) / sum_n w[y_n].
/// </summary>
public sealed class SoftmaxCrossEntropy
{
    private readonly int _classes;
    private readonly float[] _classWeights;

    public SoftmaxCrossEntropy(int classes, float labelSmoothing = 0f, float[]? classWeights = null)
    {
        if (classes < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(classes), classes, "Cross-entropy needs at least two classes.");
        }

        if (!(labelSmoothing >= 0f && labelSmoothing < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "Label smoothing must be in [0, 1).");
        }

        if (classWeights is not null && (classWeights.Length != classes || classWeights.Any(w => !(w >= 0f))))
        {
            throw new ArgumentException($"Class weights must be {classes} non-negative numbers.", nameof(classWeights));
        }

        _classes = classes;
        LabelSmoothing = labelSmoothing;
        _classWeights = classWeights ?? Enumerable.Repeat(1f, classes).ToArray();
    }

    public float LabelSmoothing { get; }

    /// <summary>
    /// Returns the mean loss and writes dL/dlogits and the probabilities.
    /// Shapes: logits, probabilities, logitsGrad [N, K]; labels [N] in [0, K).
    /// </summary>
    public float Compute(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, Span<float> probabilities, Span<float> logitsGrad)
    {
        int batch = labels.Length;
        if (logits.Length != batch * _classes || probabilities.Length != logits.Length || logitsGrad.Length != logits.Length)
        {
            throw new ArgumentException($"Logits {logits.Length}, probabilities {probabilities.Length} and gradient {logitsGrad.Length} must all be {batch} x {_classes}.");
        }

        float off = LabelSmoothing / _classes;
        float on = 1f - LabelSmoothing + off;
        double totalWeight = 0;
        foreach (int label in labels)
        {
            if ((uint)label >= (uint)_classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), label, $"Label must be in [0, {_classes}).");
            }

            totalWeight += _classWeights[label];
        }

        float norm = totalWeight > 0 ? (float)(1.0 / totalWeight) : 0f;
        double loss = 0;
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> z = logits.Slice(n * _classes, _classes);
            Span<float> p = probabilities.Slice(n * _classes, _classes);
            Span<float> dz = logitsGrad.Slice(n * _classes, _classes);
            Softmax.Apply(z, p);
            float max = TensorPrimitives.Max(z);
            float logSumShifted = MathF.Log(SumExp(z, max));
            float weight = _classWeights[labels[n]];
            double sample = 0;
            for (int k = 0; k < _classes; k++)
            {
                float q = k == labels[n] ? on : off;
                sample -= q * (z[k] - max - logSumShifted);
                dz[k] = weight * norm * (p[k] - q);
            }

            loss += weight * sample;
        }

        return (float)(loss * norm);
    }

    private static float SumExp(ReadOnlySpan<float> z, float max)
    {
        float sum = 0f;
        foreach (float v in z)
        {
            sum += MathF.Exp(v - max);
        }

        return sum;
    }
}
