using InMood.Engine.Simd;
using InMood.Engine.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace InMood.Engine.Layers;

/// <summary>y = max(x, 0); dx = y &gt; 0 ? dy : 0. Shapes: x, y [N, C, H, W].</summary>
public sealed class Relu : Layer
{
    public override string Kind => "relu";

    public override Shape OutputShape(IReadOnlyList<Shape> inputs) => inputs[0];

    public override void Forward(Tensor[] inputs, Tensor output, bool training)
        => TensorPrimitives.Max(inputs[0].Span, 0f, output.Span);

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads)
    {
        if (inputGrads[0] is { } dx)
        {
            Elementwise.Run<ReluGrad>(output.Span, outputGrad.Span, dx.Span);
        }
    }
}
