using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using InMood.Onnx.Execution;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace InMood.Onnx.Compiled;

/// <summary>
/// A per-channel window op on one image: depthwise Conv (group = C = M) with bias and optional ReLU,
/// y[c, p, q] = relu(b[c] + sum over i, j of W[c, i, j] xpad[c, p sH + i, q sW + j]), or MaxPool,
/// y[c, p, q] = max over i, j of xpad[c, p sH + i, q sW + j], plus r[c, p, q] for c &lt; R when the pool has a fused
/// residual Add r [R, OH, OW] (R &lt;= C: channels R.. of a zero-padded residual add nothing).
/// Shapes: x [C, H, W], W [C, kH, kW], y [C, OH, OW]; xpad is x padded with 0 (conv) or -inf (pool).
/// Each channel is first copied into per-worker scratch with its pads, split by column phase
/// (column t goes to phase t mod sW at t / sW), so every tap of every stride reads contiguous
/// floats and the inner loop is a plain vector multiply-add or max with no bounds checks.
/// </summary>
internal sealed unsafe class WindowStep : Step
{
    private readonly float[]? _weight;
    private readonly float[]? _bias;
    private readonly Window2d _window;
    private readonly bool _relu;
    private readonly Slot? _residual;
    private readonly int _paddedHeight;
    private readonly int _phaseWidth;
    private readonly int[] _taps;

    /// <summary>
    /// For the 3 x 3 / 2 pool over planes at most 32 wide: per output column q, the input columns of its window,
    /// 2q - padLeft + j (j = 0, 1, 2), clamped into [0, W) (see <see cref="MaxPool3x3Stride2Narrow"/>); else null.
    /// </summary>
    private readonly Vector512<int>[]? _clampedColumns;

    /// <summary>Row pitch of the 3 x 3 / 2 pool's unit-stride padded copy: its padded width rounded up to whole vectors, plus two vectors of slack.</summary>
    private readonly int _unitPitch;

    /// <summary>A depthwise conv (<paramref name="weight"/> [C, kH, kW]) or, with null weights, a max pool; <paramref name="residual"/> (pools only) is added to the first of its channels' pooled planes.</summary>
    public WindowStep(string name, Slot x, Slot y, Window2d window, float[]? weight, float[]? bias, bool relu, Slot? residual = null)
        : base(name, residual is null ? [x] : [x, residual], y)
    {
        if (residual is not null && weight is not null)
        {
            throw new ArgumentException("Only a max pool takes a fused residual.", nameof(residual));
        }

        if (window.DilationHeight != 1 || window.DilationWidth != 1)
        {
            throw new NotSupportedException($"Node '{name}': dilated depthwise convolution and pooling are not compiled.");
        }

        _window = window;
        _weight = weight is null ? null : Pinned(weight);
        _bias = bias;
        _relu = relu;
        _residual = residual;
        _paddedHeight = Math.Max(((window.OutHeight - 1) * window.StrideHeight) + window.KernelHeight, x.Height + window.PadTop);
        int paddedWidth = Math.Max(((window.OutWidth - 1) * window.StrideWidth) + window.KernelWidth, x.Width + window.PadLeft);
        _phaseWidth = ((paddedWidth + window.StrideWidth - 1) / window.StrideWidth) + Vector512<float>.Count;
        int phasePlane = _paddedHeight * _phaseWidth;
        int unitWidth = Math.Max(((window.OutWidth - 1) * 2) + 3, x.Width + window.PadLeft);
        _unitPitch = ((unitWidth + 15) / 16 * 16) + 32;
        _taps = new int[window.KernelHeight * window.KernelWidth];
        _clampedColumns = IsPool3x3Stride2 && ClampingCoversEveryWindow(x, window) ? ClampedColumns(x.Width, window) : null;
        for (int i = 0; i < window.KernelHeight; i++)
        {
            for (int j = 0; j < window.KernelWidth; j++)
            {
                _taps[(i * window.KernelWidth) + j] = (i * _phaseWidth) + ((j % window.StrideWidth) * phasePlane) + (j / window.StrideWidth);
            }
        }
    }

    public override string Kind => _weight is null ? _residual is null ? "MaxPool" : "MaxPool+Add" : _relu ? "DepthwiseConv+Relu" : "DepthwiseConv";

    public override int ScratchFloats => IsPool2x2Stride2 || _clampedColumns is not null ? 0
        : IsPool3x3Stride2 ? (_paddedHeight + 2) * _unitPitch
        : _paddedHeight * _phaseWidth * _window.StrideWidth;

    /// <summary>MaxPool 3 x 3 / 2, run separably on a unit-stride padded copy (see <see cref="MaxPool3x3Stride2"/>).</summary>
    private bool IsPool3x3Stride2 => _weight is null && _taps.Length == 9 && _window.KernelHeight == 3
        && _window.StrideHeight == 2 && _window.StrideWidth == 2 && Avx512F.IsSupported;

    /// <summary>MaxPool 2 x 2 / 2 whose windows all lie inside x (no pads), read in place (see <see cref="MaxPool2x2Stride2"/>).</summary>
    private bool IsPool2x2Stride2 => _weight is null && _window.KernelHeight == 2 && _window.KernelWidth == 2
        && _window.StrideHeight == 2 && _window.StrideWidth == 2
        && _window.PadTop + _window.PadLeft + _window.PadBottom + _window.PadRight == 0
        && 2 * _window.OutHeight <= Inputs[0].Height && 2 * _window.OutWidth <= Inputs[0].Width && Avx512F.IsSupported;

    /// <summary>Window taps (a multiply-add or a max each) each part of a split step gets at least, as for <see cref="ConvStep"/>'s parts.</summary>
    private const long TapsPerPart = 1_000_000;

    public override int Parts(int workers)
    {
        long work = (long)Output.Length * _window.KernelHeight * _window.KernelWidth;
        return (int)Math.Clamp(work / TapsPerPart, 1, Math.Min(workers, Output.Channels));
    }

    public override void Execute(RunState state, int image, int arena, int worker, int part, int parts)
    {
        float* x = state.Address(Inputs[0], image, arena);
        float* y = state.Address(Output, image, arena);
        float* pad = state.Scratch[worker];
        float* r = _residual is null ? null : state.Address(_residual, image, arena);
        int residualChannels = _residual?.Channels ?? 0;
        Slot input = Inputs[0];
        int plane = input.Height * input.Width, outPlane = _window.OutHeight * _window.OutWidth;
        (int begin, int end) = Range(Output.Channels, part, parts, 1);
        if (IsPool2x2Stride2)
        {
            for (int c = begin; c < end; c++)
            {
                MaxPool2x2Stride2(x + ((long)c * plane), y + ((long)c * outPlane));
                AddResidual(r, residualChannels, y, c, outPlane);
            }

            return;
        }

        if (_clampedColumns is not null)
        {
            for (int c = begin; c < end; c++)
            {
                MaxPool3x3Stride2Narrow(x + ((long)c * plane), y + ((long)c * outPlane));
                AddResidual(r, residualChannels, y, c, outPlane);
            }

            return;
        }

        new Span<float>(pad, ScratchFloats).Fill(_weight is null ? float.NegativeInfinity : 0f);
        if (IsPool3x3Stride2)
        {
            for (int c = begin; c < end; c++)
            {
                MaxPool3x3Stride2(x + ((long)c * plane), pad, y + ((long)c * outPlane));
                AddResidual(r, residualChannels, y, c, outPlane);
            }

            return;
        }

        for (int c = begin; c < end; c++)
        {
            Pad(x + ((long)c * plane), pad, 0, input.Height);
            float* yc = y + ((long)c * outPlane);
            if (IsWideConv3x3)
            {
                Conv3x3(pad, c, yc, 0, _window.OutHeight);
            }
            else if (_weight is not null && _taps.Length == 9 && Avx512F.IsSupported)
            {
                Conv3x3Masked(pad, c, yc);
            }
            else if (_weight is not null && _taps.Length == 9 && _window.OutWidth >= Vector256<float>.Count && Vector256.IsHardwareAccelerated)
            {
                Conv3x3Narrow(pad, c, yc);
            }
            else
            {
                Rows(pad, c, yc);
            }

            if (_relu)
            {
                var yPlane = new Span<float>(yc, outPlane);
                TensorPrimitives.Max(yPlane, 0f, yPlane);
            }

            AddResidual(r, residualChannels, y, c, outPlane);
        }
    }

    /// <summary>y[c] += r[c] for one pooled plane, while it is still in L1 (nothing without a fused residual, or for c &gt;= its channels).</summary>
    private static void AddResidual(float* r, int residualChannels, float* y, int c, int outPlane)
    {
        if (c < residualChannels)
        {
            var yPlane = new Span<float>(y + ((long)c * outPlane), outPlane);
            TensorPrimitives.Add(yPlane, new ReadOnlySpan<float>(r + ((long)c * outPlane), outPlane), yPlane);
        }
    }

    /// <summary>Any window, one output row at a time (pooling, and depthwise kernels other than 3 x 3).</summary>
    private void Rows(float* pad, int c, float* yc)
    {
        for (int p = 0; p < _window.OutHeight; p++)
        {
            if (_weight is null)
            {
                MaxRow(pad, p, yc + (p * _window.OutWidth));
            }
            else
            {
                ConvRow(pad, p, c, yc + (p * _window.OutWidth));
            }
        }
    }

    /// <summary>
    /// A 3 x 3 depthwise conv on maps at least one Vector512 wide, run by <see cref="Conv3x3"/>; the form
    /// <see cref="DepthwisePointwiseStep"/> can run band by band in front of the 1x1 conv that reads it.
    /// </summary>
    public bool IsWideConv3x3 => _weight is not null && _taps.Length == 9 && _window.OutWidth >= Vector512<float>.Count && Vector512.IsHardwareAccelerated;

    /// <summary>Floats of the padded phase planes one channel is copied into.</summary>
    public int PadFloats => _paddedHeight * _phaseWidth * _window.StrideWidth;

    /// <summary>
    /// Output rows [first, end) of channel <paramref name="c"/> of a <see cref="IsWideConv3x3"/> depthwise conv:
    /// copies the input rows they read from x [C, H, W] into <paramref name="pad"/> (<see cref="PadFloats"/> floats,
    /// zeroed before the first call; only rows and columns x covers are ever written) and writes row p at
    /// yc + p OW, with the ReLU when the conv has one.
    /// </summary>
    public void ConvRows(float* x, int c, int first, int end, float* pad, float* yc)
    {
        Slot input = Inputs[0];
        int top = first * _window.StrideHeight - _window.PadTop;
        int bottom = ((end - 1) * _window.StrideHeight) + _window.KernelHeight - _window.PadTop;
        Pad(x + ((long)c * input.Height * input.Width), pad, Math.Max(0, top), Math.Min(input.Height, bottom));
        Conv3x3(pad, c, yc, first, end);
        if (_relu)
        {
            var rows = new Span<float>(yc + ((long)first * _window.OutWidth), (end - first) * _window.OutWidth);
            TensorPrimitives.Max(rows, 0f, rows);
        }
    }

    /// <summary>
    /// Output rows [first, end) of a 3 x 3 depthwise channel with the nine weights held in registers; the last vector of
    /// a row is shifted back to end at OW (overlapping the previous one: outputs are written, so recomputing is harmless).
    /// </summary>
    private void Conv3x3(float* pad, int c, float* yc, int first, int end)
    {
        int ow = _window.OutWidth, width = Vector512<float>.Count;
        // NOTE: the weights are pinned at construction, so their address is stable.
        float* wc = (float*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _weight![c * 9]);
        Vector512<float> w0 = Vector512.Create(wc[0]), w1 = Vector512.Create(wc[1]), w2 = Vector512.Create(wc[2]);
        Vector512<float> w3 = Vector512.Create(wc[3]), w4 = Vector512.Create(wc[4]), w5 = Vector512.Create(wc[5]);
        Vector512<float> w6 = Vector512.Create(wc[6]), w7 = Vector512.Create(wc[7]), w8 = Vector512.Create(wc[8]);
        Vector512<float> bias = Vector512.Create(_bias is null ? 0f : _bias[c]);
        int t0 = _taps[0], t1 = _taps[1], t2 = _taps[2], t3 = _taps[3], t4 = _taps[4], t5 = _taps[5], t6 = _taps[6], t7 = _taps[7], t8 = _taps[8];
        int p = first;
        if (_window.StrideHeight == 1)
        {
            // Two output rows at a time: rows p and p + 1 read the padded rows p + 1 and p + 2 both (tap k + 3 of row p
            // is tap k of row p + 1), so each pair of output vectors takes 12 loads instead of 18, in two chains.
            int below = _phaseWidth;
            for (; p + 1 < end; p += 2)
            {
                float* rowBase = pad + (p * _phaseWidth);
                float* y = yc + (p * ow);
                for (int q0 = 0; q0 < ow; q0 += width)
                {
                    int q = Math.Min(q0, ow - width);
                    float* x = rowBase + q;
                    Vector512<float> l3 = Vector512.Load(x + t3), l4 = Vector512.Load(x + t4), l5 = Vector512.Load(x + t5);
                    Vector512<float> top = Vector512.FusedMultiplyAdd(Vector512.Load(x + t0), w0, bias);
                    Vector512<float> low = Vector512.FusedMultiplyAdd(l3, w0, bias);
                    top = Vector512.FusedMultiplyAdd(Vector512.Load(x + t1), w1, top);
                    low = Vector512.FusedMultiplyAdd(l4, w1, low);
                    top = Vector512.FusedMultiplyAdd(Vector512.Load(x + t2), w2, top);
                    low = Vector512.FusedMultiplyAdd(l5, w2, low);
                    top = Vector512.FusedMultiplyAdd(l3, w3, top);
                    top = Vector512.FusedMultiplyAdd(l4, w4, top);
                    top = Vector512.FusedMultiplyAdd(l5, w5, top);
                    Vector512<float> l6 = Vector512.Load(x + t6), l7 = Vector512.Load(x + t7), l8 = Vector512.Load(x + t8);
                    low = Vector512.FusedMultiplyAdd(l6, w3, low);
                    top = Vector512.FusedMultiplyAdd(l6, w6, top);
                    low = Vector512.FusedMultiplyAdd(l7, w4, low);
                    top = Vector512.FusedMultiplyAdd(l7, w7, top);
                    low = Vector512.FusedMultiplyAdd(l8, w5, low);
                    top = Vector512.FusedMultiplyAdd(l8, w8, top);
                    low = Vector512.FusedMultiplyAdd(Vector512.Load(x + below + t6), w6, low);
                    low = Vector512.FusedMultiplyAdd(Vector512.Load(x + below + t7), w7, low);
                    low = Vector512.FusedMultiplyAdd(Vector512.Load(x + below + t8), w8, low);
                    top.Store(y + q);
                    low.Store(y + ow + q);
                }
            }
        }

        for (; p < end; p++)
        {
            float* rowBase = pad + (p * _window.StrideHeight * _phaseWidth);
            float* y = yc + (p * ow);
            for (int q0 = 0; q0 < ow; q0 += width)
            {
                int q = Math.Min(q0, ow - width);
                float* x = rowBase + q;
                Vector512<float> acc = Vector512.FusedMultiplyAdd(Vector512.Load(x + t0), w0, bias);
                acc = Vector512.FusedMultiplyAdd(Vector512.Load(x + t1), w1, acc);
                acc = Vector512.FusedMultiplyAdd(Vector512.Load(x + t2), w2, acc);
                acc = Vector512.FusedMultiplyAdd(Vector512.Load(x + t3), w3, acc);
                acc = Vector512.FusedMultiplyAdd(Vector512.Load(x + t4), w4, acc);
                acc = Vector512.FusedMultiplyAdd(Vector512.Load(x + t5), w5, acc);
                acc = Vector512.FusedMultiplyAdd(Vector512.Load(x + t6), w6, acc);
                acc = Vector512.FusedMultiplyAdd(Vector512.Load(x + t7), w7, acc);
                acc = Vector512.FusedMultiplyAdd(Vector512.Load(x + t8), w8, acc);
                acc.Store(y + q);
            }
        }
    }

    /// <summary>
    /// Copies rows [rowBegin, rowEnd) of x [H, W] into the phase planes [sW, paddedHeight, phaseWidth]: padded column t
    /// of a row goes to phase t mod sW at t / sW. Only the cells x covers are written, so the pads filled once per
    /// <see cref="Execute"/> stay 0 or -inf for every channel.
    /// </summary>
    private void Pad(float* x, float* pad, int rowBegin, int rowEnd)
    {
        Slot input = Inputs[0];
        int width = input.Width, sw = _window.StrideWidth, left = _window.PadLeft;
        int phasePlane = _paddedHeight * _phaseWidth;
        for (int ih = rowBegin; ih < rowEnd; ih++)
        {
            float* src = x + ((long)ih * width);
            float* row = pad + ((ih + _window.PadTop) * _phaseWidth);
            if (sw == 1)
            {
                RowCopy.Copy(src, row + left, width);
                continue;
            }

            if (sw == 2)
            {
                RowCopy.IntoPhases2(src, width, row, left, phasePlane);
                continue;
            }

            for (int phase = 0; phase < sw; phase++)
            {
                int iw = (((phase - left) % sw) + sw) % sw;
                float* dst = row + (phase * phasePlane) + ((iw + left) / sw);
                for (; iw < width; iw += sw)
                {
                    *dst++ = src[iw];
                }
            }
        }
    }

    /// <summary>
    /// <see cref="Conv3x3"/> for maps narrower than one Vector512 (OW &lt; 16): one vector per output row, stored under
    /// a mask of OW lanes. Its loads may run up to 15 floats past a padded row, into the slack every phase row has.
    /// It repeats Conv3x3's nine-tap chain on purpose: folding both into one loop, or the taps into a struct, made
    /// big_XCEPTION's 15 x 15 depthwise convs 2-19% slower in A/B runs.
    /// </summary>
    private void Conv3x3Masked(float* pad, int c, float* yc)
    {
        int ow = _window.OutWidth;
        // NOTE: the weights are pinned at construction, so their address is stable.
        float* wc = (float*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _weight![c * 9]);
        Vector512<float> w0 = Vector512.Create(wc[0]), w1 = Vector512.Create(wc[1]), w2 = Vector512.Create(wc[2]);
        Vector512<float> w3 = Vector512.Create(wc[3]), w4 = Vector512.Create(wc[4]), w5 = Vector512.Create(wc[5]);
        Vector512<float> w6 = Vector512.Create(wc[6]), w7 = Vector512.Create(wc[7]), w8 = Vector512.Create(wc[8]);
        Vector512<float> bias = Vector512.Create(_bias is null ? 0f : _bias[c]);
        Vector512<float> mask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(ow)).AsSingle();
        int t0 = _taps[0], t1 = _taps[1], t2 = _taps[2], t3 = _taps[3], t4 = _taps[4], t5 = _taps[5], t6 = _taps[6], t7 = _taps[7], t8 = _taps[8];
        int p = 0;
        if (_window.StrideHeight == 1)
        {
            // Two output rows at a time, sharing the loads of the two padded rows both read (as in Conv3x3).
            int below = _phaseWidth;
            for (; p + 1 < _window.OutHeight; p += 2)
            {
                float* x = pad + (p * _phaseWidth);
                Vector512<float> l3 = Vector512.Load(x + t3), l4 = Vector512.Load(x + t4), l5 = Vector512.Load(x + t5);
                Vector512<float> top = Vector512.FusedMultiplyAdd(Vector512.Load(x + t0), w0, bias);
                Vector512<float> low = Vector512.FusedMultiplyAdd(l3, w0, bias);
                top = Vector512.FusedMultiplyAdd(Vector512.Load(x + t1), w1, top);
                low = Vector512.FusedMultiplyAdd(l4, w1, low);
                top = Vector512.FusedMultiplyAdd(Vector512.Load(x + t2), w2, top);
                low = Vector512.FusedMultiplyAdd(l5, w2, low);
                top = Vector512.FusedMultiplyAdd(l3, w3, top);
                top = Vector512.FusedMultiplyAdd(l4, w4, top);
                top = Vector512.FusedMultiplyAdd(l5, w5, top);
                Vector512<float> l6 = Vector512.Load(x + t6), l7 = Vector512.Load(x + t7), l8 = Vector512.Load(x + t8);
                low = Vector512.FusedMultiplyAdd(l6, w3, low);
                top = Vector512.FusedMultiplyAdd(l6, w6, top);
                low = Vector512.FusedMultiplyAdd(l7, w4, low);
                top = Vector512.FusedMultiplyAdd(l7, w7, top);
                low = Vector512.FusedMultiplyAdd(l8, w5, low);
                top = Vector512.FusedMultiplyAdd(l8, w8, top);
                low = Vector512.FusedMultiplyAdd(Vector512.Load(x + below + t6), w6, low);
                low = Vector512.FusedMultiplyAdd(Vector512.Load(x + below + t7), w7, low);
                low = Vector512.FusedMultiplyAdd(Vector512.Load(x + below + t8), w8, low);
                Avx512F.MaskStore(yc + (p * ow), mask, top);
                Avx512F.MaskStore(yc + ((p + 1) * ow), mask, low);
            }
        }

        for (; p < _window.OutHeight; p++)
        {
            float* x = pad + (p * _window.StrideHeight * _phaseWidth);
            Vector512<float> acc = Vector512.FusedMultiplyAdd(Vector512.Load(x + t0), w0, bias);
            acc = Vector512.FusedMultiplyAdd(Vector512.Load(x + t1), w1, acc);
            acc = Vector512.FusedMultiplyAdd(Vector512.Load(x + t2), w2, acc);
            acc = Vector512.FusedMultiplyAdd(Vector512.Load(x + t3), w3, acc);
            acc = Vector512.FusedMultiplyAdd(Vector512.Load(x + t4), w4, acc);
            acc = Vector512.FusedMultiplyAdd(Vector512.Load(x + t5), w5, acc);
            acc = Vector512.FusedMultiplyAdd(Vector512.Load(x + t6), w6, acc);
            acc = Vector512.FusedMultiplyAdd(Vector512.Load(x + t7), w7, acc);
            acc = Vector512.FusedMultiplyAdd(Vector512.Load(x + t8), w8, acc);
            Avx512F.MaskStore(yc + (p * ow), mask, acc);
        }
    }

    /// <summary>The Vector256 form of <see cref="Conv3x3"/>, for machines without AVX-512 (maps at least 8 columns wide).</summary>
    private void Conv3x3Narrow(float* pad, int c, float* yc)
    {
        int ow = _window.OutWidth, width = Vector256<float>.Count;
        // NOTE: the weights are pinned at construction, so their address is stable.
        float* wc = (float*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _weight![c * 9]);
        Vector256<float> w0 = Vector256.Create(wc[0]), w1 = Vector256.Create(wc[1]), w2 = Vector256.Create(wc[2]);
        Vector256<float> w3 = Vector256.Create(wc[3]), w4 = Vector256.Create(wc[4]), w5 = Vector256.Create(wc[5]);
        Vector256<float> w6 = Vector256.Create(wc[6]), w7 = Vector256.Create(wc[7]), w8 = Vector256.Create(wc[8]);
        Vector256<float> bias = Vector256.Create(_bias is null ? 0f : _bias[c]);
        int t0 = _taps[0], t1 = _taps[1], t2 = _taps[2], t3 = _taps[3], t4 = _taps[4], t5 = _taps[5], t6 = _taps[6], t7 = _taps[7], t8 = _taps[8];
        for (int p = 0; p < _window.OutHeight; p++)
        {
            float* rowBase = pad + (p * _window.StrideHeight * _phaseWidth);
            float* y = yc + (p * ow);
            for (int q0 = 0; q0 < ow; q0 += width)
            {
                int q = Math.Min(q0, ow - width);
                float* x = rowBase + q;
                Vector256<float> acc = Vector256.FusedMultiplyAdd(Vector256.Load(x + t0), w0, bias);
                acc = Vector256.FusedMultiplyAdd(Vector256.Load(x + t1), w1, acc);
                acc = Vector256.FusedMultiplyAdd(Vector256.Load(x + t2), w2, acc);
                acc = Vector256.FusedMultiplyAdd(Vector256.Load(x + t3), w3, acc);
                acc = Vector256.FusedMultiplyAdd(Vector256.Load(x + t4), w4, acc);
                acc = Vector256.FusedMultiplyAdd(Vector256.Load(x + t5), w5, acc);
                acc = Vector256.FusedMultiplyAdd(Vector256.Load(x + t6), w6, acc);
                acc = Vector256.FusedMultiplyAdd(Vector256.Load(x + t7), w7, acc);
                acc = Vector256.FusedMultiplyAdd(Vector256.Load(x + t8), w8, acc);
                acc.Store(y + q);
            }
        }
    }

    /// <summary>Output row p of one channel: tap t reads the phase planes at row p sH, column q, plus its precomputed offset.</summary>
    private void ConvRow(float* pad, int p, int c, float* y)
    {
        int ow = _window.OutWidth, taps = _taps.Length;
        float* rowBase = pad + (p * _window.StrideHeight * _phaseWidth);
        float bias = _bias is null ? 0f : _bias[c];
        ReadOnlySpan<float> weight = _weight!.AsSpan(c * taps, taps);
        ReadOnlySpan<int> offsets = _taps;
        int q = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; q + Vector512<float>.Count <= ow; q += Vector512<float>.Count)
            {
                Vector512<float> acc = Vector512.Create(bias);
                for (int t = 0; t < offsets.Length; t++)
                {
                    acc = Vector512.FusedMultiplyAdd(Vector512.Load(rowBase + offsets[t] + q), Vector512.Create(weight[t]), acc);
                }

                acc.Store(y + q);
            }
        }

        for (; q + Vector256<float>.Count <= ow; q += Vector256<float>.Count)
        {
            Vector256<float> acc = Vector256.Create(bias);
            for (int t = 0; t < offsets.Length; t++)
            {
                acc = Vector256.FusedMultiplyAdd(Vector256.Load(rowBase + offsets[t] + q), Vector256.Create(weight[t]), acc);
            }

            acc.Store(y + q);
        }

        for (; q < ow; q++)
        {
            float acc = bias;
            for (int t = 0; t < offsets.Length; t++)
            {
                acc = MathF.FusedMultiplyAdd(rowBase[offsets[t] + q], weight[t], acc);
            }

            y[q] = acc;
        }
    }

    /// <summary>
    /// MaxPool 3 x 3 stride 2 of one channel, separably: x is copied into -inf padded rows of pitch P (only the cells
    /// x covers are written, so the pads filled once per <see cref="Execute"/> stay -inf); per output row p,
    /// v[t] = max of padded rows 2p, 2p + 1, 2p + 2 at column t, h[t] = max(v[t], v[t + 1], v[t + 2]), y[p, q] = h[2 q],
    /// the even lanes picked by one two-vector permute and stored under a mask. No column-phase copy is made, and every
    /// load is a whole unit-stride vector.
    /// </summary>
    private void MaxPool3x3Stride2(float* x, float* pad, float* yc)
    {
        Slot input = Inputs[0];
        int pitch = _unitPitch, ow = _window.OutWidth, width = Vector512<float>.Count;
        for (int ih = 0; ih < input.Height; ih++)
        {
            RowCopy.Copy(x + ((long)ih * input.Width), pad + ((ih + _window.PadTop) * pitch) + _window.PadLeft, input.Width);
        }

        float* v = pad + (_paddedHeight * pitch), h = v + pitch;
        int vColumns = ((2 * ow) + 2 + width - 1) / width * width, hColumns = ((2 * ow) + width - 1) / width * width;
        Vector512<int> evens = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        Vector512<int> lanes = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        for (int p = 0; p < _window.OutHeight; p++)
        {
            float* r0 = pad + (2 * p * pitch);
            for (int t = 0; t < vColumns; t += width)
            {
                Vector512<float> top = Vector512.Load(r0 + t), middle = Vector512.Load(r0 + pitch + t), bottom = Vector512.Load(r0 + (2 * pitch) + t);
                Vector512.MaxNative(Vector512.MaxNative(top, middle), bottom).Store(v + t);
            }

            for (int t = 0; t < hColumns; t += width)
            {
                Vector512<float> left = Vector512.Load(v + t), centre = Vector512.Load(v + t + 1), right = Vector512.Load(v + t + 2);
                Vector512.MaxNative(Vector512.MaxNative(left, centre), right).Store(h + t);
            }

            float* y = yc + (p * ow);
            for (int q0 = 0; q0 < ow; q0 += width)
            {
                Vector512<float> picked = Avx512F.PermuteVar16x32x2(Vector512.Load(h + (2 * q0)), evens, Vector512.Load(h + (2 * q0) + width));
                Vector512<float> mask = Vector512.LessThan(lanes, Vector512.Create(ow - q0)).AsSingle();
                Avx512F.MaskStore(y + q0, mask, picked);
            }
        }
    }

    /// <summary>
    /// Whether the narrow 3 x 3 / 2 pool applies: planes at most 32 wide (two vectors), and every window holds at least
    /// one cell of x, so clamping its rows and columns into x (repeating an edge cell) gives the max over -inf pads.
    /// </summary>
    private static bool ClampingCoversEveryWindow(Slot x, Window2d window) =>
        x.Width <= 2 * Vector512<float>.Count && window.OutWidth <= Vector512<float>.Count && window.PadTop <= 2 && window.PadLeft <= 2
        && (2 * (window.OutHeight - 1)) - window.PadTop < x.Height && (2 * (window.OutWidth - 1)) - window.PadLeft < x.Width;

    private static Vector512<int>[] ClampedColumns(int width, Window2d window)
    {
        var columns = new Vector512<int>[3];
        Span<int> lanes = stackalloc int[Vector512<int>.Count];
        for (int j = 0; j < 3; j++)
        {
            for (int q = 0; q < lanes.Length; q++)
            {
                lanes[q] = Math.Clamp((2 * q) - window.PadLeft + j, 0, width - 1);
            }

            columns[j] = Vector512.Create<int>(lanes);
        }

        return columns;
    }

    /// <summary>
    /// MaxPool 3 x 3 stride 2 of one channel whose rows fit in two vectors, read in place: per output row p, the
    /// columnwise max v of input rows 2p - padTop + i (i = 0, 1, 2, clamped into x) is held in two registers (the
    /// second loaded under a mask, so nothing past the row's end is read), and y[p, q] = max over j of v[clamped
    /// column j of q], three two-vector permutes. No padded copy and no store is reloaded.
    /// </summary>
    private void MaxPool3x3Stride2Narrow(float* x, float* yc)
    {
        Slot input = Inputs[0];
        int h = input.Height, w = input.Width, ow = _window.OutWidth, width = Vector512<float>.Count;
        Vector512<int> lanes = Vector512<int>.Indices;
        Vector512<float> lowMask = Vector512.LessThan(lanes, Vector512.Create(w)).AsSingle();
        Vector512<float> highMask = Vector512.LessThan(lanes, Vector512.Create(w - width)).AsSingle();
        Vector512<float> outMask = Vector512.LessThan(lanes, Vector512.Create(ow)).AsSingle();
        Vector512<int> left = _clampedColumns![0], centre = _clampedColumns[1], right = _clampedColumns[2];
        Vector512<float> none = Vector512.Create(float.NegativeInfinity);
        for (int p = 0; p < _window.OutHeight; p++)
        {
            int top = (2 * p) - _window.PadTop;
            float* r0 = x + ((long)Math.Clamp(top, 0, h - 1) * w);
            float* r1 = x + ((long)Math.Clamp(top + 1, 0, h - 1) * w);
            float* r2 = x + ((long)Math.Clamp(top + 2, 0, h - 1) * w);
            Vector512<float> low = Vector512.MaxNative(Vector512.MaxNative(
                Avx512F.MaskLoad(r0, lowMask, none), Avx512F.MaskLoad(r1, lowMask, none)), Avx512F.MaskLoad(r2, lowMask, none));
            Vector512<float> high = none;
            if (w > width)
            {
                high = Vector512.MaxNative(Vector512.MaxNative(
                    Avx512F.MaskLoad(r0 + width, highMask, none), Avx512F.MaskLoad(r1 + width, highMask, none)), Avx512F.MaskLoad(r2 + width, highMask, none));
            }

            Vector512<float> pooled = Vector512.MaxNative(Vector512.MaxNative(
                Avx512F.PermuteVar16x32x2(low, left, high), Avx512F.PermuteVar16x32x2(low, centre, high)), Avx512F.PermuteVar16x32x2(low, right, high));
            Avx512F.MaskStore(yc + ((long)p * ow), outMask, pooled);
        }
    }

    /// <summary>
    /// MaxPool 2 x 2 stride 2 of one channel, in place: y[p, q] = max(x[2p, 2q], x[2p, 2q + 1], x[2p + 1, 2q], x[2p + 1, 2q + 1]).
    /// Per 16 outputs, the two rows' maxima over 32 columns are split into even and odd lanes by two permutes and
    /// maxed; the last OW mod 16 the same way from masked loads, stored under a mask (FerVgg's 12-, 6- and 3-wide
    /// outputs went one at a time before: its three late pools took 5.2, 2.5 and 2.5 ms per 64 images, ORT's 1.0-0.3).
    /// </summary>
    private void MaxPool2x2Stride2(float* x, float* yc)
    {
        int w = Inputs[0].Width, ow = _window.OutWidth, width = Vector512<float>.Count;
        Vector512<int> evens = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        Vector512<int> odds = evens + Vector512<int>.One, lanes = Vector512<int>.Indices;
        int rest = ow % width, q1 = ow - rest;
        Vector512<float> none = Vector512.Create(float.NegativeInfinity);
        Vector512<float> lowMask = Vector512.LessThan(lanes, Vector512.Create(2 * rest)).AsSingle();
        Vector512<float> highMask = Vector512.LessThan(lanes, Vector512.Create((2 * rest) - width)).AsSingle();
        Vector512<float> restMask = Vector512.LessThan(lanes, Vector512.Create(rest)).AsSingle();
        for (int p = 0; p < _window.OutHeight; p++)
        {
            float* r0 = x + (2L * p * w), r1 = r0 + w, y = yc + ((long)p * ow);
            int q = 0;
            for (; q + width <= ow; q += width)
            {
                Vector512<float> low = Vector512.MaxNative(Vector512.Load(r0 + (2 * q)), Vector512.Load(r1 + (2 * q)));
                Vector512<float> high = Vector512.MaxNative(Vector512.Load(r0 + (2 * q) + width), Vector512.Load(r1 + (2 * q) + width));
                Vector512.MaxNative(Avx512F.PermuteVar16x32x2(low, evens, high), Avx512F.PermuteVar16x32x2(low, odds, high)).Store(y + q);
            }

            if (rest > 0)
            {
                Vector512<float> low = Vector512.MaxNative(Avx512F.MaskLoad(r0 + (2 * q1), lowMask, none), Avx512F.MaskLoad(r1 + (2 * q1), lowMask, none));
                Vector512<float> high = 2 * rest <= width ? none
                    : Vector512.MaxNative(Avx512F.MaskLoad(r0 + (2 * q1) + width, highMask, none), Avx512F.MaskLoad(r1 + (2 * q1) + width, highMask, none));
                Vector512<float> pooled = Vector512.MaxNative(Avx512F.PermuteVar16x32x2(low, evens, high), Avx512F.PermuteVar16x32x2(low, odds, high));
                Avx512F.MaskStore(y + q1, restMask, pooled);
            }
        }
    }

    /// <summary>Output row p of one channel of MaxPool, reading the -inf padded phase planes.</summary>
    private void MaxRow(float* pad, int p, float* y)
    {
        int ow = _window.OutWidth;
        float* rowBase = pad + (p * _window.StrideHeight * _phaseWidth);
        ReadOnlySpan<int> offsets = _taps;
        int q = 0;
        if (Vector512.IsHardwareAccelerated && ow >= Vector512<float>.Count)
        {
            // NOTE: the last vector is shifted back to end at OW; it overlaps the previous one, which is harmless for a max.
            // MaxNative is one vmaxps; Max keeps IEEE NaN and signed-zero rules at several instructions per call.
            for (int q0 = 0; q0 < ow; q0 += Vector512<float>.Count)
            {
                q = Math.Min(q0, ow - Vector512<float>.Count);
                Vector512<float> acc = Vector512.Load(rowBase + offsets[0] + q);
                for (int t = 1; t < offsets.Length; t++)
                {
                    acc = Vector512.MaxNative(acc, Vector512.Load(rowBase + offsets[t] + q));
                }

                acc.Store(y + q);
            }

            return;
        }

        if (ow >= Vector256<float>.Count)
        {
            for (int q0 = 0; q0 < ow; q0 += Vector256<float>.Count)
            {
                q = Math.Min(q0, ow - Vector256<float>.Count);
                Vector256<float> acc = Vector256.Load(rowBase + offsets[0] + q);
                for (int t = 1; t < offsets.Length; t++)
                {
                    acc = Vector256.MaxNative(acc, Vector256.Load(rowBase + offsets[t] + q));
                }

                acc.Store(y + q);
            }

            return;
        }

        for (; q < ow; q++)
        {
            float acc = rowBase[offsets[0] + q];
            for (int t = 1; t < offsets.Length; t++)
            {
                acc = MathF.Max(acc, rowBase[offsets[t] + q]);
            }

            y[q] = acc;
        }
    }
}
