using InMood.Engine.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace InMood.Engine.Layers;

/// <summary>
/// Softmax over the features of each sample: y_i = exp(x_i - max x) / sum_j exp(x_j - max x).
/// Backward: dx_i = y_i (dy_i - sum_j dy_j y_j). Shapes: x, y [N, K, 1, 1] (or any [N, K*...]).
/// </summary>
public sealed class Softmax : Layer
{
    public override string Kind => "softmax";

    public override Shape OutputShape(IReadOnlyList<Shape> inputs) => inputs[0];

    public override void Forward(Tensor[] inputs, Tensor output, bool training)
    {
        for (int n = 0; n < output.Batch; n++)
        {
            Apply(inputs[0].Sample(n), output.Sample(n));
        }
    }

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads)
    {
        if (inputGrads[0] is not { } dxTensor)
        {
            return;
        }

        for (int n = 0; n < output.Batch; n++)
        {
            ReadOnlySpan<float> y = output.Sample(n), dy = outputGrad.Sample(n);
            Span<float> dx = dxTensor.Sample(n);
            float dot = TensorPrimitives.Dot(dy, y);
            TensorPrimitives.Subtract(dy, dot, dx);
            TensorPrimitives.Multiply(dx, y, dx);
        }
    }

    /// <summary>
    /// Numerically safe softmax of one row. Shapes: logits, probabilities [K].
    /// NOTE: TensorPrimitives.SoftMax does not subtract the maximum, so [1000, 1001] overflows to NaN there.
    /// </summary>
    public static void Apply(ReadOnlySpan<float> logits, Span<float> probabilities)
    {
        float max = TensorPrimitives.Max(logits);
        TensorPrimitives.Subtract(logits, max, probabilities);
        TensorPrimitives.Exp(probabilities, probabilities);
        float sum = TensorPrimitives.Sum(probabilities);
        TensorPrimitives.Divide(probabilities, sum, probabilities);
    }
}
