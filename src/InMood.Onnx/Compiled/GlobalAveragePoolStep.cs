using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace InMood.Onnx.Compiled;

/// <summary>GlobalAveragePool on one image: y[c] = mean over p of x[c, p]. Shapes: x [C, H, W], y [C, 1, 1].</summary>
internal sealed unsafe class GlobalAveragePoolStep(string name, Slot x, Slot y) : Step(name, [x], y)
{
    public override string Kind => "GlobalAveragePool";

    public override void Execute(RunState state, int image, int arena, int worker, int part, int parts)
    {
        Slot input = Inputs[0];
        int plane = input.Length / input.Channels;
        float* src = state.Address(input, image, arena);
        float* dst = state.Address(Output, image, arena);
        for (int c = 0; c < input.Channels; c++)
        {
            dst[c] = TensorPrimitives.Sum(new ReadOnlySpan<float>(src + ((long)c * plane), plane)) / plane;
        }
    }
}
