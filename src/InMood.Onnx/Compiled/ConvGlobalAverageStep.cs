using InMood.Onnx.Execution;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace InMood.Onnx.Compiled;

/// <summary>
/// A dense Conv whose only reader is a GlobalAveragePool (the classifier head of Keras' Xception-style FER models),
/// computed without the conv's output map. The mean over the OH x OW output positions of
/// y[m, p, q] = b[m] + sum over c, i, j of W[m, c, i, j] x[c, p sH + i dH - padTop, q sW + j dW - padLeft] (pads read 0)
/// is linear in x, so g[m] = b[m] + sum over c, h, w of V[m, c, h, w] x[c, h, w], where the effective weight
/// V[m, c, h, w] = (1 / (OH OW)) times the sum of W[m, c, i, j] over every tap (i, j) and output (p, q) that reads
/// x[c, h, w]. V is built once at compile time; a run is M dot products of length C H W instead of the conv's
/// M C kH kW OH OW multiply-adds (big_XCEPTION's 7-class head: 115 K instead of 1 M).
/// Shapes: x [C, H, W], W [M, C, kH, kW], V [M, C, H, W], g [M, 1, 1].
/// </summary>
internal sealed unsafe class ConvGlobalAverageStep : Step
{
    /// <summary>
    /// Largest V this step keeps (1 MB): V is read once per image, so it should stay in L2; heads with more
    /// outputs, channels or pixels run as the conv and the pool.
    /// </summary>
    public const int MaxEffectiveWeights = 256 * 1024;

    private readonly float[] _effective;
    private readonly float[] _bias;

    public ConvGlobalAverageStep(string name, Slot x, Slot y, float[] weight, float[] bias, Window2d window)
        : base(name, [x], y)
    {
        _bias = bias;
        _effective = EffectiveWeights(weight, bias.Length, x.Channels, x.Height, x.Width, window);
    }

    public override string Kind => "Conv+GlobalAveragePool";

    /// <summary>Whether a conv of <paramref name="outputs"/> outputs over x [C, H, W] is small enough for this step.</summary>
    public static bool Applies(int outputs, Slot x) => (long)outputs * x.Length <= MaxEffectiveWeights;

    public override void Execute(RunState state, int image, int arena, int worker, int part, int parts)
    {
        Slot input = Inputs[0];
        int k = input.Length;
        var x = new ReadOnlySpan<float>(state.Address(input, image, arena), k);
        float* g = state.Address(Output, image, arena);
        for (int m = 0; m < _bias.Length; m++)
        {
            g[m] = _bias[m] + TensorPrimitives.Dot(_effective.AsSpan(m * k, k), x);
        }
    }

    /// <summary>V [M, C, H, W] from W [M, C, kH, kW], as in the class summary.</summary>
    private static float[] EffectiveWeights(float[] weight, int outputs, int channels, int height, int width, Window2d window)
    {
        int kh = window.KernelHeight, kw = window.KernelWidth, plane = height * width;
        float scale = 1f / (window.OutHeight * window.OutWidth);
        float[] effective = new float[outputs * channels * plane];
        for (int mc = 0; mc < outputs * channels; mc++)
        {
            Span<float> v = effective.AsSpan(mc * plane, plane);
            for (int i = 0; i < kh; i++)
            {
                for (int j = 0; j < kw; j++)
                {
                    float w = weight[(((mc * kh) + i) * kw) + j] * scale;
                    for (int p = 0; p < window.OutHeight; p++)
                    {
                        int h = (p * window.StrideHeight) + (i * window.DilationHeight) - window.PadTop;
                        for (int q = 0; q < window.OutWidth && (uint)h < (uint)height; q++)
                        {
                            int column = (q * window.StrideWidth) + (j * window.DilationWidth) - window.PadLeft;
                            if ((uint)column < (uint)width)
                            {
                                v[(h * width) + column] += w;
                            }
                        }
                    }
                }
            }
        }

        return effective;
    }
}
