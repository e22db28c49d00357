namespace InMood.Onnx.Compiled;

/// <summary>
/// Rank-4 Transpose of one image between NHWC and NCHW: perm (0, 3, 1, 2) takes x [H, W, C] to y [C, H, W],
/// perm (0, 2, 3, 1) takes x [C, H, W] to y [H, W, C].
/// </summary>
internal sealed unsafe class TransposeStep(string name, Slot x, Slot y, bool toChannelsFirst) : Step(name, [x], y)
{
    public override string Kind => "Transpose";

    public override void Execute(RunState state, int image, int arena, int worker, int part, int parts)
    {
        float* src = state.Address(Inputs[0], image, arena);
        float* dst = state.Address(Output, image, arena);
        int[] s = Inputs[0].Shape;
        int plane = s[1] * s[2], channels = s[3];
        if (!toChannelsFirst)
        {
            plane = s[2] * s[3];
            channels = s[1];
        }

        for (int p = 0; p < plane; p++)
        {
            for (int c = 0; c < channels; c++)
            {
                if (toChannelsFirst)
                {
                    dst[((long)c * plane) + p] = src[((long)p * channels) + c];
                }
                else
                {
                    dst[((long)p * channels) + c] = src[((long)c * plane) + p];
                }
            }
        }
    }
}
