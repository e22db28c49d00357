using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace InMood.Onnx.Compiled;

/// <summary>
/// Add of two same-shape values with an optional fused ReLU, y = relu(a + b), or a lone ReLU, y = max(x, 0).
/// Shapes: a, b, y [per-image elements].
/// </summary>
internal sealed unsafe class ElementwiseStep(string name, Slot[] inputs, Slot output, bool relu) : Step(name, inputs, output)
{
    public override string Kind => Inputs.Length == 2 ? (relu ? "Add+Relu" : "Add") : "Relu";

    public override void Execute(RunState state, int image, int arena, int worker, int part, int parts)
    {
        var y = new Span<float>(state.Address(Output, image, arena), Output.Length);
        var a = new ReadOnlySpan<float>(state.Address(Inputs[0], image, arena), Output.Length);
        if (Inputs.Length == 2)
        {
            TensorPrimitives.Add(a, new ReadOnlySpan<float>(state.Address(Inputs[1], image, arena), Output.Length), y);
            if (relu)
            {
                TensorPrimitives.Max(y, 0f, y);
            }
        }
        else
        {
            TensorPrimitives.Max(a, 0f, y);
        }
    }
}
