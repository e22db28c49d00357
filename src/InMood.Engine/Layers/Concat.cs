using InMood.Engine.Tensors;

namespace InMood.Engine.Layers;

/// <summary>
/// Channel concatenation y = [a, b, ...] along C. Shapes: inputs [N, C_i, H, W], y [N, sum C_i, H, W];
/// the backward pass splits dy back into the inputs' channel ranges.
/// </summary>
public sealed class Concat(int arity) : Layer
{
    public override string Kind => "concat";

    public override int Arity => arity;

    public override Shape OutputShape(IReadOnlyList<Shape> inputs)
    {
        int channels = 0;
        foreach (Shape s in inputs)
        {
            if (s.Height != inputs[0].Height || s.Width != inputs[0].Width)
            {
                throw new ArgumentException($"concat: spatial sizes {inputs[0]} and {s} differ.");
            }

            channels += s.Channels;
        }

        return new Shape(channels, inputs[0].Height, inputs[0].Width);
    }

    public override IEnumerable<KeyValuePair<string, string>> Settings() => [];

    public override void Forward(Tensor[] inputs, Tensor output, bool training)
    {
        for (int n = 0; n < output.Batch; n++)
        {
            Span<float> y = output.Sample(n);
            int offset = 0;
            foreach (Tensor x in inputs)
            {
                x.Sample(n).CopyTo(y[offset..]);
                offset += x.Shape.Size;
            }
        }
    }

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads)
    {
        for (int n = 0; n < outputGrad.Batch; n++)
        {
            Span<float> dy = outputGrad.Sample(n);
            int offset = 0;
            for (int i = 0; i < inputs.Length; i++)
            {
                int size = inputs[i].Shape.Size;
                if (inputGrads[i] is { } dx)
                {
                    dy.Slice(offset, size).CopyTo(dx.Sample(n));
                }

                offset += size;
            }
        }
    }
}
