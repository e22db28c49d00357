using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace InMood.Onnx.Compiled;

/// <summary>
/// Softmax over rows of one image: y[r, k] = exp(x[r, k] - max_k x[r]) / sum_k exp(x[r, k] - max_k x[r]).
/// Shapes: x, y [rows, size] (the max is subtracted first: TensorPrimitives.SoftMax does not).
/// </summary>
internal sealed unsafe class SoftmaxStep(string name, Slot x, Slot y, int size) : Step(name, [x], y)
{
    public override string Kind => "Softmax";

    public override void Execute(RunState state, int image, int arena, int worker, int part, int parts)
    {
        float* src = state.Address(Inputs[0], image, arena);
        float* dst = state.Address(Output, image, arena);
        for (int row = 0; row < Output.Length / size; row++)
        {
            var x = new ReadOnlySpan<float>(src + ((long)row * size), size);
            var y = new Span<float>(dst + ((long)row * size), size);
            TensorPrimitives.Subtract(x, TensorPrimitives.Max(x), y);
            TensorPrimitives.Exp(y, y);
            TensorPrimitives.Divide(y, TensorPrimitives.Sum(y), y);
        }
    }
}
