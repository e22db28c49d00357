using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace InMood.Onnx.Compiled;

/// <summary>
/// Gemm with constant weights on one image: y[j] = b[j] + sum over k of W[j, k] x[k], with ONNX's alpha, beta and
/// transB folded into W [N, K] and b [N] when the model is compiled (a dense layer, as the engine exports it).
/// Shapes: x [1, K], W [N, K], b [N], y [1, N]. Parts split the outputs j.
/// </summary>
internal sealed unsafe class GemmStep : Step
{
    private readonly float[] _weight;
    private readonly float[] _bias;

    public GemmStep(string name, Slot x, Slot y, float[] weight, float[] bias)
        : base(name, [x], y)
    {
        _weight = weight;
        _bias = bias;
    }

    public override string Kind => "Gemm";

    public override int Parts(int workers) => (int)Math.Clamp((long)_weight.Length / 100_000, 1, workers);

    public override void Execute(RunState state, int image, int arena, int worker, int part, int parts)
    {
        int n = _bias.Length, k = _weight.Length / n;
        var x = new ReadOnlySpan<float>(state.Address(Inputs[0], image, arena), k);
        float* y = state.Address(Output, image, arena);
        (int begin, int end) = Range(n, part, parts, 1);
        for (int j = begin; j < end; j++)
        {
            y[j] = _bias[j] + TensorPrimitives.Dot(x, _weight.AsSpan(j * k, k));
        }
    }
}
