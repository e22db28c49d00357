namespace InMood.Onnx.Compiled;

/// <summary>
/// Concat of one image's values along an axis: the outer product of the dims before the axis is
/// <c>outer</c>, and input i contributes a block of <c>blocks[i]</c> floats per outer index.
/// Shapes: x_i [outer, blocks[i]], y [outer, sum of blocks].
/// </summary>
internal sealed unsafe class ConcatStep(string name, Slot[] inputs, Slot y, int outer, int[] blocks) : Step(name, inputs, y)
{
    private readonly int _total = blocks.Sum();

    public override string Kind => "Concat";

    public override void Execute(RunState state, int image, int arena, int worker, int part, int parts)
    {
        float* dst = state.Address(Output, image, arena);
        int offset = 0;
        for (int i = 0; i < Inputs.Length; i++)
        {
            float* src = state.Address(Inputs[i], image, arena);
            for (int o = 0; o < outer; o++)
            {
                new ReadOnlySpan<float>(src + ((long)o * blocks[i]), blocks[i]).CopyTo(new Span<float>(dst + ((long)o * _total) + offset, blocks[i]));
            }

            offset += blocks[i];
        }
    }
}
