using InMood.Onnx.Model;

namespace InMood.Onnx.Execution;

/// <summary>
/// 2-D pooling. Shapes: X [N, C, H, W], Y [N, C, OH, OW]. MaxPool takes the maximum over the
/// window's in-image cells (pads never win); AveragePool divides by the in-image cell count
/// (count_include_pad = 0) or the whole window (= 1); GlobalAveragePool gives Y [N, C, 1, 1].
/// </summary>
internal static class PoolOps
{
    public static OnnxValue Pool(OnnxNode node, OnnxValue?[] inputs)
    {
        OnnxValue x = NodeArgs.Float(node, inputs, 0, rank: 4);
        long[] kernel = node.GetInts("kernel_shape") ?? throw new InvalidDataException($"Node {node.Label}: kernel_shape is required.");
        if (kernel.Length != 2)
        {
            throw new InvalidDataException($"Node {node.Label}: kernel_shape [{string.Join(", ", kernel)}] must have 2 values for 2-D pooling.");
        }

        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        Window2d g = Window2d.Resolve(node, (int)kernel[0], (int)kernel[1], h, w);
        bool max = node.OpType == "MaxPool";
        bool includePad = node.GetInt("count_include_pad", 0) != 0;
        var y = new float[n * c * g.OutHeight * g.OutWidth];
        float[] xs = x.Floats!;
        int o = 0;
        for (int plane = 0; plane < n * c; plane++)
        {
            int origin = plane * h * w;
            for (int oh = 0; oh < g.OutHeight; oh++)
            {
                for (int ow = 0; ow < g.OutWidth; ow++, o++)
                {
                    float acc = max ? float.NegativeInfinity : 0f;
                    int count = 0;
                    for (int i = 0; i < g.KernelHeight; i++)
                    {
                        int ih = (oh * g.StrideHeight) - g.PadTop + (i * g.DilationHeight);
                        for (int j = 0; j < g.KernelWidth; j++)
                        {
                            int iw = (ow * g.StrideWidth) - g.PadLeft + (j * g.DilationWidth);
                            if ((uint)ih >= (uint)h || (uint)iw >= (uint)w)
                            {
                                continue;
                            }

                            float v = xs[origin + (ih * w) + iw];
                            acc = max ? Math.Max(acc, v) : acc + v;
                            count++;
                        }
                    }

                    y[o] = max ? acc : acc / (includePad ? g.KernelHeight * g.KernelWidth : Math.Max(count, 1));
                }
            }
        }

        return OnnxValue.FromFloats([n, c, g.OutHeight, g.OutWidth], y);
    }

    public static OnnxValue GlobalAveragePool(OnnxNode node, OnnxValue?[] inputs)
    {
        OnnxValue x = NodeArgs.Float(node, inputs, 0, rank: 4);
        int planes = x.Shape[0] * x.Shape[1], size = x.Shape[2] * x.Shape[3];
        var y = new float[planes];
        for (int p = 0; p < planes; p++)
        {
            y[p] = System.Numerics.Tensors.TensorPrimitives.Sum(x.Floats.AsSpan(p * size, size)) / size;
        }

        return OnnxValue.FromFloats([x.Shape[0], x.Shape[1], 1, 1], y);
    }
}
