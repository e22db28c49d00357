namespace InMood.Engine.Layers;

/// <summary>
/// Spatial geometry of a 2-D convolution or pooling window: kernel, stride and per-side padding, plus
/// the output size for a given input: OH = (H + padTop + padBottom - kH) / sH + 1 (floor), likewise OW.
/// </summary>
public readonly record struct ConvGeometry(
    int KernelHeight, int KernelWidth, int StrideHeight, int StrideWidth,
    int PadTop, int PadLeft, int PadBottom, int PadRight, int OutHeight = 0, int OutWidth = 0)
{
    /// <summary>Returns a copy with the output size for an input of height x width; throws when the window does not fit.</summary>
    public ConvGeometry For(int height, int width, string layer)
    {
        if (KernelHeight <= 0 || KernelWidth <= 0 || StrideHeight <= 0 || StrideWidth <= 0
            || PadTop < 0 || PadLeft < 0 || PadBottom < 0 || PadRight < 0)
        {
            throw new ArgumentException($"{layer}: kernel {KernelHeight}x{KernelWidth}, stride {StrideHeight}x{StrideWidth} and pads ({PadTop},{PadLeft},{PadBottom},{PadRight}) must be positive (pads non-negative).");
        }

        int oh = (height + PadTop + PadBottom - KernelHeight) / StrideHeight + 1;
        int ow = (width + PadLeft + PadRight - KernelWidth) / StrideWidth + 1;
        if (height + PadTop + PadBottom < KernelHeight || width + PadLeft + PadRight < KernelWidth)
        {
            throw new ArgumentException($"{layer}: a {KernelHeight}x{KernelWidth} window does not fit a padded {height}x{width} input.");
        }

        return this with { OutHeight = oh, OutWidth = ow };
    }

    /// <summary>True for a 1x1 window with stride 1 and no padding: the input already is the im2col matrix.</summary>
    public bool IsPointwise => KernelHeight == 1 && KernelWidth == 1 && StrideHeight == 1 && StrideWidth == 1
        && PadTop == 0 && PadLeft == 0 && PadBottom == 0 && PadRight == 0;
}
