using InMood.Onnx.Model;

namespace InMood.Onnx.Execution;

/// <summary>
/// The 2-D window of a Conv or pool node resolved for one input size: kernel, stride, dilation,
/// per-side pads (from <c>pads</c> or <c>auto_pad</c>) and output size
/// OH = floor((H + padTop + padBottom - ((kH - 1) dH + 1)) / sH) + 1, likewise OW (ceil_mode is not supported).
/// </summary>
internal readonly record struct Window2d(
    int KernelHeight, int KernelWidth, int StrideHeight, int StrideWidth, int DilationHeight, int DilationWidth,
    int PadTop, int PadLeft, int PadBottom, int PadRight, int OutHeight, int OutWidth)
{
    /// <summary>Reads the window attributes of <paramref name="node"/> for an input of height x width.</summary>
    public static Window2d Resolve(OnnxNode node, int kernelHeight, int kernelWidth, int height, int width)
    {
        long[] strides = node.GetInts("strides") ?? [1, 1];
        long[] dilations = node.GetInts("dilations") ?? [1, 1];
        long[] pads = node.GetInts("pads") ?? [0, 0, 0, 0];
        string autoPad = node.GetString("auto_pad", "NOTSET");
        if (node.GetInt("ceil_mode", 0) != 0)
        {
            throw new NotSupportedException($"Node {node.Label}: ceil_mode = 1 is not supported.");
        }

        if (strides.Length != 2 || dilations.Length != 2 || pads.Length != 4)
        {
            throw new InvalidDataException($"Node {node.Label}: strides, dilations and pads must have 2, 2 and 4 values for a 2-D window; got {strides.Length}, {dilations.Length} and {pads.Length}.");
        }

        int sh = (int)strides[0], sw = (int)strides[1], dh = (int)dilations[0], dw = (int)dilations[1];
        if (sh <= 0 || sw <= 0 || dh <= 0 || dw <= 0 || kernelHeight <= 0 || kernelWidth <= 0)
        {
            throw new InvalidDataException($"Node {node.Label}: kernel, strides and dilations must be positive.");
        }

        int top = (int)pads[0], left = (int)pads[1], bottom = (int)pads[2], right = (int)pads[3];
        if (autoPad is "SAME_UPPER" or "SAME_LOWER")
        {
            (top, bottom) = SamePads(height, kernelHeight, sh, dh, autoPad == "SAME_UPPER");
            (left, right) = SamePads(width, kernelWidth, sw, dw, autoPad == "SAME_UPPER");
        }
        else if (autoPad == "VALID")
        {
            top = left = bottom = right = 0;
        }
        else if (autoPad != "NOTSET")
        {
            throw new InvalidDataException($"Node {node.Label}: auto_pad '{autoPad}' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID.");
        }

        int oh = OutSize(height, kernelHeight, sh, dh, top + bottom);
        int ow = OutSize(width, kernelWidth, sw, dw, left + right);
        if (oh <= 0 || ow <= 0 || top < 0 || left < 0 || bottom < 0 || right < 0)
        {
            throw new InvalidDataException($"Node {node.Label}: a {kernelHeight}x{kernelWidth} window with pads ({top}, {left}, {bottom}, {right}) does not fit a {height}x{width} input.");
        }

        return new Window2d(kernelHeight, kernelWidth, sh, sw, dh, dw, top, left, bottom, right, oh, ow);
    }

    private static (int Begin, int End) SamePads(int size, int kernel, int stride, int dilation, bool upper)
    {
        int output = (size + stride - 1) / stride;
        int total = Math.Max(0, ((output - 1) * stride) + ((kernel - 1) * dilation) + 1 - size);
        int begin = upper ? total / 2 : (total + 1) / 2;
        return (begin, total - begin);
    }

    private static int OutSize(int size, int kernel, int stride, int dilation, int pads)
    {
        int span = size + pads - (((kernel - 1) * dilation) + 1);
        return span < 0 ? 0 : (span / stride) + 1;
    }
}
