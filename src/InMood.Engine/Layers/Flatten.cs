using InMood.Engine.Tensors;

namespace InMood.Engine.Layers;

/// <summary>Reshapes [N, C, H, W] to [N, C*H*W, 1, 1]; NCHW samples are contiguous, so data is copied unchanged.</summary>
public sealed class Flatten : Layer
{
    public override string Kind => "flatten";

    public override Shape OutputShape(IReadOnlyList<Shape> inputs) => new(inputs[0].Size, 1, 1);

    public override void Forward(Tensor[] inputs, Tensor output, bool training) => inputs[0].Span.CopyTo(output.Span);

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads)
        => outputGrad.Span.CopyTo(inputGrads[0] is { } dx ? dx.Span : default);
}
