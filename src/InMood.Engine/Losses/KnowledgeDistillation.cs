using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace InMood.Engine.Losses;

/// <summary>
/// Knowledge distillation (Hinton et al., 2015) on logits z [N, K] with a teacher's logits u [N, K]:
/// L = (1 - a) CE(z, y) + a T^2 (1 / N) sum_n KL(t_n || s_n), with s = softmax(z / T), t = softmax(u / T),
/// CE the label-smoothed cross-entropy of <see cref="SoftmaxCrossEntropy"/>, a the soft-target weight and T the
/// temperature. dL/dz_n = (1 - a) dCE/dz_n + a T (s_n - t_n) / N; the T^2 keeps the soft term's gradient on the
/// scale of the hard one's as T changes.
/// </summary>
public sealed class KnowledgeDistillation
{
    private readonly SoftmaxCrossEntropy _hard;
    private readonly int _classes;
    private readonly float[] _studentLog;
    private readonly float[] _studentProbabilities;
    private readonly float[] _teacherLog;
    private readonly float[] _teacherProbabilities;

    public KnowledgeDistillation(int classes, float labelSmoothing, float softWeight, float temperature)
    {
        if (!(softWeight >= 0f && softWeight <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(softWeight), softWeight, "The soft-target weight must be in [0, 1].");
        }

        if (!(temperature > 0f && float.IsFinite(temperature)))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be a positive number.");
        }

        _hard = new SoftmaxCrossEntropy(classes, labelSmoothing);
        _classes = classes;
        SoftWeight = softWeight;
        Temperature = temperature;
        _studentLog = new float[classes];
        _studentProbabilities = new float[classes];
        _teacherLog = new float[classes];
        _teacherProbabilities = new float[classes];
    }

    public float SoftWeight { get; }

    public float Temperature { get; }

    /// <summary>
    /// Returns the mean loss and writes dL/dlogits and the student's probabilities at temperature 1.
    /// Shapes: logits, teacherLogits, probabilities, logitsGrad [N, K]; labels [N] in [0, K).
    /// </summary>
    public float Compute(ReadOnlySpan<float> logits, ReadOnlySpan<float> teacherLogits, ReadOnlySpan<int> labels, Span<float> probabilities, Span<float> logitsGrad)
    {
        if (teacherLogits.Length != logits.Length)
        {
            throw new ArgumentException($"Teacher logits {teacherLogits.Length} must match the student's {logits.Length}.");
        }

        float hard = _hard.Compute(logits, labels, probabilities, logitsGrad);
        int batch = labels.Length;
        float a = SoftWeight, t = Temperature;
        float hardScale = 1f - a, softScale = a * t / batch;
        double soft = 0;
        for (int n = 0; n < batch; n++)
        {
            Soften(logits.Slice(n * _classes, _classes), _studentLog, _studentProbabilities);
            Soften(teacherLogits.Slice(n * _classes, _classes), _teacherLog, _teacherProbabilities);
            Span<float> dz = logitsGrad.Slice(n * _classes, _classes);
            for (int k = 0; k < _classes; k++)
            {
                soft += _teacherProbabilities[k] * (_teacherLog[k] - _studentLog[k]);
                dz[k] = hardScale * dz[k] + softScale * (_studentProbabilities[k] - _teacherProbabilities[k]);
            }
        }

        return (float)(hardScale * hard + a * t * t * soft / batch);
    }

    /// <summary>
    /// logP = log softmax(z / T) and p = softmax(z / T), with the maximum subtracted first (log space keeps a
    /// probability that underflows to 0 from turning p log p into NaN). Shapes: z, logP, p [K].
    /// </summary>
    private void Soften(ReadOnlySpan<float> z, Span<float> logP, Span<float> p)
    {
        TensorPrimitives.Multiply(z, 1f / Temperature, logP);
        TensorPrimitives.Subtract(logP, TensorPrimitives.Max(logP), logP);
        TensorPrimitives.Exp(logP, p);
        float sum = TensorPrimitives.Sum(p);
        TensorPrimitives.Subtract(logP, MathF.Log(sum), logP);
        TensorPrimitives.Divide(p, sum, p);
    }
}
