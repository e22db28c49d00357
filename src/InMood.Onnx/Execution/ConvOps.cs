using InMood.Engine.Gemm;
using InMood.Onnx.Model;

namespace InMood.Onnx.Execution;

/// <summary>
/// Conv (2-D, grouped, dilated, any pads) as im2col + the engine's SGEMM per image and group.
/// Shapes: X [N, C, H, W], W [M, C/group, kH, kW], B [M], Y [N, M, OH, OW];
/// Y[n, m, oh, ow] = B[m] + sum over c in m's group, i, j of
/// W[m, c', i, j] X[n, c, oh sH - padTop + i dH, ow sW - padLeft + j dW] (zero outside X).
/// </summary>
internal static class ConvOps
{
    public static OnnxValue Conv(OnnxNode node, OnnxValue?[] inputs)
    {
        OnnxValue x = NodeArgs.Float(node, inputs, 0, rank: 4);
        OnnxValue w = NodeArgs.Float(node, inputs, 1, rank: 4);
        OnnxValue? b = NodeArgs.Optional(inputs, 2);
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], wd = x.Shape[3];
        int m = w.Shape[0], cg = w.Shape[1], kh = w.Shape[2], kw = w.Shape[3];
        int groups = (int)node.GetInt("group", 1);
        if (groups <= 0 || c != cg * groups || m % groups != 0 || (b is not null && b.Length != m))
        {
            throw new InvalidDataException($"Node {node.Label}: X {x}, W {w}, B {b?.ToString() ?? "none"} and group {groups} do not fit together (C = W.shape[1] * group, M divisible by group, B has M values).");
        }

        Window2d g = Window2d.Resolve(node, kh, kw, h, wd);
        int mg = m / groups, plane = g.OutHeight * g.OutWidth, rows = cg * kh * kw;
        var y = new float[n * m * plane];
        var col = new float[rows * plane];
        float[] xs = x.Floats!, ws = w.Floats!;
        for (int image = 0; image < n; image++)
        {
            for (int group = 0; group < groups; group++)
            {
                ReadOnlySpan<float> xg = xs.AsSpan(((image * c) + (group * cg)) * h * wd, cg * h * wd);
                Im2Col(xg, cg, h, wd, g, col);
                Span<float> yg = y.AsSpan(((image * m) + (group * mg)) * plane, mg * plane);
                Sgemm.Multiply(ws.AsSpan(group * mg * rows, mg * rows), false, col, false, yg, mg, plane, rows, false, GemmKernels.Best);
                if (b is not null)
                {
                    for (int oc = 0; oc < mg; oc++)
                    {
                        System.Numerics.Tensors.TensorPrimitives.Add(yg.Slice(oc * plane, plane), b.Floats![(group * mg) + oc], yg.Slice(oc * plane, plane));
                    }
                }
            }
        }

        return OnnxValue.FromFloats([n, m, g.OutHeight, g.OutWidth], y);
    }

    /// <summary>
    /// Shapes: x [C, H, W]; col [C * kH * kW, OH * OW], row (c * kH + i) * kW + j holds
    /// x[c, oh sH - padTop + i dH, ow sW - padLeft + j dW] (zero outside x).
    /// </summary>
    private static void Im2Col(ReadOnlySpan<float> x, int channels, int height, int width, in Window2d g, Span<float> col)
    {
        int plane = g.OutHeight * g.OutWidth;
        int row = 0;
        for (int c = 0; c < channels; c++)
        {
            for (int i = 0; i < g.KernelHeight; i++)
            {
                for (int j = 0; j < g.KernelWidth; j++, row++)
                {
                    Span<float> dst = col.Slice(row * plane, plane);
                    for (int oh = 0; oh < g.OutHeight; oh++)
                    {
                        int ih = (oh * g.StrideHeight) - g.PadTop + (i * g.DilationHeight);
                        for (int ow = 0; ow < g.OutWidth; ow++)
                        {
                            int iw = (ow * g.StrideWidth) - g.PadLeft + (j * g.DilationWidth);
                            dst[(oh * g.OutWidth) + ow] = (uint)ih < (uint)height && (uint)iw < (uint)width ? x[(((c * height) + ih) * width) + iw] : 0f;
                        }
                    }
                }
            }
        }
    }
}
