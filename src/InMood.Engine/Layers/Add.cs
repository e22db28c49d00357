using InMood.Engine.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace InMood.Engine.Layers;

/// <summary>Residual sum y = a + b; da = dy, db = dy. Shapes: a, b, y [N, C, H, W] (equal).</summary>
public sealed class Add : Layer
{
    public override string Kind => "add";

    public override int Arity => 2;

    public override Shape OutputShape(IReadOnlyList<Shape> inputs)
    {
        if (inputs[0] != inputs[1])
        {
            throw new ArgumentException($"add: input shapes {inputs[0]} and {inputs[1]} differ.");
        }

        return inputs[0];
    }

    public override void Forward(Tensor[] inputs, Tensor output, bool training)
        => TensorPrimitives.Add(inputs[0].Span, inputs[1].Span, output.Span);

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads)
    {
        foreach (Tensor? dx in inputGrads)
        {
            outputGrad.Span.CopyTo(dx is null ? default : dx.Span);
        }
    }
}
