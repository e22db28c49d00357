using System.Globalization;
using InMood.Engine.Gemm;
using InMood.Engine.Tensors;
using InMood.Engine.Threading;

namespace InMood.Engine.Layers;

/// <summary>
/// Fully connected layer, y = W x + b per sample.
/// Shapes (row-major): x [N, inputs], W [outputs, inputs], b [outputs], y [N, outputs].
/// </summary>
public sealed class Dense : Layer
{
    private readonly int _inputs;
    private readonly int _outputs;

    public Dense(int inputs, int outputs)
    {
        if (inputs <= 0 || outputs <= 0)
        {
            throw new ArgumentException($"dense: sizes {inputs} -> {outputs} must be positive.");
        }

        _inputs = inputs;
        _outputs = outputs;
        Weight = new Parameter("weight", [outputs, inputs], decay: true);
        Bias = new Parameter("bias", [outputs], decay: false);
        Parameters = [Weight, Bias];
    }

    public override string Kind => "dense";

    public Parameter Weight { get; }

    public Parameter Bias { get; }

    public int Inputs => _inputs;

    public int Outputs => _outputs;

    public override IReadOnlyList<Parameter> Parameters { get; }

    public override Shape OutputShape(IReadOnlyList<Shape> inputs)
    {
        if (inputs[0].Size != _inputs)
        {
            throw new ArgumentException($"dense: input has {inputs[0].Size} features ({inputs[0]}), the layer expects {_inputs}.");
        }

        return new Shape(_outputs, 1, 1);
    }

    public override long FlopsPerSample(IReadOnlyList<Shape> inputs) => 2L * _inputs * _outputs;

    public override IEnumerable<KeyValuePair<string, string>> Settings()
    {
        yield return new("out", _outputs.ToString(CultureInfo.InvariantCulture));
    }

    public override unsafe void Forward(Tensor[] inputs, Tensor output, bool training)
    {
        int batch = output.Batch;
        Span<float> y = output.Span;
        for (int n = 0; n < batch; n++)
        {
            Bias.Value.CopyTo(y.Slice(n * _outputs, _outputs));
        }

        fixed (float* px = inputs[0].Span, pw = Weight.Value, py = y)
        {
            // y [N, out] += x [N, in] x W^T [in, out]
            Sgemm.MultiplyParallel(WorkerPool.Shared, batch, _outputs, _inputs, px, _inputs, 1, pw, 1, _inputs, py, _outputs, accumulate: true);
        }
    }

    public override unsafe void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads)
    {
        int batch = output.Batch;
        ReadOnlySpan<float> dy = outputGrad.Span;
        for (int n = 0; n < batch; n++)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(Bias.Grad, dy.Slice(n * _outputs, _outputs), Bias.Grad);
        }

        fixed (float* px = inputs[0].Span, pw = Weight.Value, pdy = dy, pdw = Weight.Grad)
        {
            // dW [out, in] += dy^T [out, N] x x [N, in]
            Sgemm.MultiplyParallel(WorkerPool.Shared, _outputs, _inputs, batch, pdy, 1, _outputs, px, _inputs, 1, pdw, _inputs, accumulate: true);
            if (inputGrads[0] is { } dx)
            {
                fixed (float* pdx = dx.Span)
                {
                    // dx [N, in] = dy [N, out] x W [out, in]
                    Sgemm.MultiplyParallel(WorkerPool.Shared, batch, _inputs, _outputs, pdy, _outputs, 1, pw, _inputs, 1, pdx, _inputs, accumulate: false);
                }
            }
        }
    }
}
