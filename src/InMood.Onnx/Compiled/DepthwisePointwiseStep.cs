namespace InMood.Onnx.Compiled;

/// <summary>
/// A 3 x 3 depthwise conv and the 1x1 conv that is its only reader (the separable pair of MobileNet, BlazeFace and
/// Xception), run band by band so the depthwise output never goes to memory:
/// d[c, p, q] = relu?(bd[c] + sum over i, j of Wd[c, i, j] xpad[c, p sH + i, q sW + j]) for the R output rows p of a
/// band goes into scratch [C, R, OW] (<see cref="WindowStep.ConvRows"/>), then
/// y[m, p, q] = relu?(b[m] + r[m, p, q] + sum over c of W[m, c] d[c, p, q]) for those rows is one
/// <see cref="ConvKernel"/> GEMM over the band (<see cref="ConvStep.Pointwise"/>), while the band's input rows (often
/// also the residual r) are still in cache. Every float is computed as the two steps compute it apart.
/// Shapes: x [C, H, W], d [C, OH, OW] (never whole), y [M, OH, OW], r [R' &lt;= M, OH, OW].
/// </summary>
internal sealed unsafe class DepthwisePointwiseStep : Step
{
    /// <summary>
    /// Depthwise outputs smaller than this (512 KB per image, a quarter of a 2 MB L2) stay apart: they remain in cache
    /// between the two steps anyway, and their bands make narrower GEMMs. At 64 K floats big_XCEPTION's 128 x 29 x 29
    /// pair ran fused and the whole model took 1.05-1.07 x the time at batch 64 on one worker (1.16 x on two, with
    /// more pairs fused), while BlazeFace-256's 24 x 128 x 128 pairs gain most.
    /// </summary>
    public const int MinimumFloats = 128 * 1024;

    /// <summary>Floats a band of the depthwise output holds at most: 64 KB, so it stays in L1/L2 between its two uses.</summary>
    private const int BandFloats = 16 * 1024;

    private readonly WindowStep _depthwise;
    private readonly ConvStep _pointwise;
    private readonly int _bandRows;
    private readonly int[] _bandOffsets;

    public DepthwisePointwiseStep(WindowStep depthwise, ConvStep pointwise)
        : base(depthwise.Name + "+" + pointwise.Name, [depthwise.Inputs[0], .. pointwise.Inputs.Skip(1)], pointwise.Output)
    {
        _depthwise = depthwise;
        _pointwise = pointwise;
        Slot d = depthwise.Output;
        _bandRows = Math.Clamp(BandFloats / (d.Channels * d.Width), 1, d.Height);
        _bandOffsets = GC.AllocateArray<int>(d.Channels, pinned: true);
        for (int c = 0; c < d.Channels; c++)
        {
            _bandOffsets[c] = c * _bandRows * d.Width;
        }
    }

    public override string Kind => _depthwise.Kind + "+" + _pointwise.Kind;

    public override int ScratchFloats => _depthwise.PadFloats + BandLength + _pointwise.PointwisePanelFloats;

    private int BandLength => _bandOffsets.Length * _bandRows * _depthwise.Output.Width;

    public override int Parts(int workers)
    {
        Slot d = _depthwise.Output;
        long flops = 2L * (Output.Channels + 9) * d.Length;
        int bands = (d.Height + _bandRows - 1) / _bandRows;
        return (int)Math.Clamp(flops / FlopsPerPart, 1, Math.Min(workers, bands));
    }

    public override void Execute(RunState state, int image, int arena, int worker, int part, int parts)
    {
        float* x = state.Address(Inputs[0], image, arena);
        float* pad = state.Scratch[worker];
        float* band = pad + _depthwise.PadFloats;
        float* panel = band + BandLength;
        new Span<float>(pad, _depthwise.PadFloats).Clear();
        Slot d = _depthwise.Output;
        int ow = d.Width;
        (int from, int to) = Range(d.Height, part, parts, _bandRows);
        fixed (int* rows = _bandOffsets)
        {
            for (int p0 = from; p0 < to; p0 += _bandRows)
            {
                int p1 = Math.Min(p0 + _bandRows, to);
                for (int c = 0; c < d.Channels; c++)
                {
                    // NOTE: row p of the band is at band + rows[c] + (p - p0) OW; ConvRows writes row p at yc + p OW.
                    _depthwise.ConvRows(x, c, p0, p1, pad, band + rows[c] - ((long)p0 * ow));
                }

                _pointwise.Pointwise(state, image, arena, band, rows, p0 * ow, (p1 - p0) * ow, panel);
            }
        }
    }
}
