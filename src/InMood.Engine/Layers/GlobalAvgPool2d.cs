using InMood.Engine.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace InMood.Engine.Layers;

/// <summary>Global average pooling: y[n, c] = mean over (h, w) of x[n, c]; dx[n, c, h, w] = dy[n, c] / (H*W). Shapes: x [N, C, H, W], y [N, C, 1, 1].</summary>
public sealed class GlobalAvgPool2d : Layer
{
    public override string Kind => "globalavgpool2d";

    public override Shape OutputShape(IReadOnlyList<Shape> inputs) => new(inputs[0].Channels, 1, 1);

    public override void Forward(Tensor[] inputs, Tensor output, bool training)
    {
        int plane = inputs[0].Shape.Plane;
        ReadOnlySpan<float> x = inputs[0].Span;
        Span<float> y = output.Span;
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = TensorPrimitives.Sum(x.Slice(i * plane, plane)) / plane;
        }
    }

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads)
    {
        if (inputGrads[0] is not { } dxTensor)
        {
            return;
        }

        int plane = inputs[0].Shape.Plane;
        ReadOnlySpan<float> dy = outputGrad.Span;
        Span<float> dx = dxTensor.Span;
        for (int i = 0; i < dy.Length; i++)
        {
            dx.Slice(i * plane, plane).Fill(dy[i] / plane);
        }
    }
}
