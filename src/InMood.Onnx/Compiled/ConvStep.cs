using System.Runtime.Intrinsics.X86;
using InMood.Engine.Gemm;
using InMood.Onnx.Execution;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace InMood.Onnx.Compiled;

/// <summary>
/// Dense Conv (group 1) on one image, with the bias, an optional residual and an optional ReLU fused:
/// y[m, p] = relu(b[m] + r[m, p] + sum over c, i, j of W[m, c, i, j] xpad[c, oh sH + i dH, ow sW + j dW]).
/// Shapes: x [C, H, W] (or [H, W, C] when the input is the graph's NHWC input, read in place of its
/// Transpose), W [M, C, kH, kW], y [M, OH, OW], r [R, OH, OW] with R &lt;= M (channels R.. of a zero-padded
/// residual are zero, so BlazeFace's ConstantOfShape + Concat padding costs nothing).
/// A 1x1 stride-1 unpadded conv is one <see cref="ConvKernel"/> GEMM over x itself. Any other window first
/// copies x, padded and split into column phases as in <see cref="WindowStep"/>, into per-worker scratch;
/// then each output row is a GEMM whose B rows are that copy shifted by each tap (an implicit im2col).
/// Stride-1 windows narrower than 64 columns run "wide": all output rows of a part in one GEMM over
/// q = oh * Wp + ow, whose B rows are contiguous runs of the padded copy; the Wp - OW columns per row that
/// straddle two padded rows are computed into scratch and dropped on the copy out, so nothing is gathered.
/// </summary>
internal sealed unsafe class ConvStep : Step
{
    private const int ColumnUnit = 32;
    private readonly float[] _packed;
    private readonly float[] _bias;
    private readonly int[] _rows;
    private readonly Window2d _window;
    private readonly bool _nhwc;
    private readonly Slot? _residual;
    private readonly bool _relu;
    private readonly int _channels;
    private readonly int _paddedHeight;
    private readonly int _phaseWidth;
    private readonly int _groupRows;
    private readonly int[] _groupOffsets = [];

    public ConvStep(string name, Slot x, Slot y, float[] weight, float[] bias, Window2d window, bool nhwc, Slot? residual, bool relu)
        : base(name, residual is null ? [x] : [x, residual], y)
    {
        _bias = Pinned(bias);
        _window = window;
        _nhwc = nhwc;
        _residual = residual;
        _relu = relu;
        _channels = nhwc ? x.Shape[3] : x.Channels;
        int height = nhwc ? x.Shape[1] : x.Height, width = nhwc ? x.Shape[2] : x.Width;
        int k = weight.Length / bias.Length;
        _packed = IsChannelTiled ? ChannelTileKernel.Pack(weight, bias.Length, k) : ConvKernel.Pack(weight, bias.Length, k);
        _rows = GC.AllocateArray<int>(k, pinned: true);
        if (IsPointwise)
        {
            for (int p = 0; p < k; p++)
            {
                _rows[p] = p * Plane;
            }

            return;
        }

        Window2d g = window;
        _paddedHeight = Math.Max(((g.OutHeight - 1) * g.StrideHeight) + ((g.KernelHeight - 1) * g.DilationHeight) + 1, height + g.PadTop);
        int paddedWidth = Math.Max(((g.OutWidth - 1) * g.StrideWidth) + ((g.KernelWidth - 1) * g.DilationWidth) + 1, width + g.PadLeft);
        _phaseWidth = (paddedWidth + g.StrideWidth - 1) / g.StrideWidth;
        int phasePlane = _paddedHeight * _phaseWidth;
        int row = 0;
        for (int c = 0; c < _channels; c++)
        {
            for (int i = 0; i < g.KernelHeight; i++)
            {
                for (int j = 0; j < g.KernelWidth; j++, row++)
                {
                    int column = j * g.DilationWidth;
                    _rows[row] = (c * g.StrideWidth * phasePlane) + ((column % g.StrideWidth) * phasePlane) + (i * g.DilationHeight * _phaseWidth) + (column / g.StrideWidth);
                }
            }
        }

        // NOTE: one output row per GEMM is too narrow below about 64 columns; then groups of rows are
        // gathered into a [K, rows OW] block of about 64 K floats first (an explicit im2col tile).
        if (!IsWide && (g.OutWidth < 64 || IsSubsample))
        {
            _groupRows = Math.Clamp(64 * 1024 / (k * g.OutWidth), 1, g.OutHeight);
            _groupOffsets = GC.AllocateArray<int>(k, pinned: true);
            for (int p = 0; p < k; p++)
            {
                _groupOffsets[p] = p * _groupRows * g.OutWidth;
            }
        }
    }

    public override string Kind => (IsChannelTiled ? "ChannelTiledConv" : "Conv") + (_residual is null ? "" : "+Add") + (_relu ? "+Relu" : "");

    public override int ScratchFloats => IsChannelTiled ? TileResultOffset + (ChannelTileKernel.Pixels * ChannelTileKernel.Channels) + 16
        : PanelOffset + (_groupRows == 0 ? ConvKernel.PanelFloats(_bias.Length, _rows.Length) : 0);

    /// <summary>
    /// A wide conv whose rows are 6 to 12 outputs long, with at least 64 output channels, on AVX-512: its GEMM runs as
    /// <see cref="ChannelTileKernel"/> tiles. FerVgg's 6 x 6 convs (the only maps measured) take 0.73-0.74 of the time of <see cref="ConvKernel"/>'s wide GEMM.
    /// </summary>
    private bool IsChannelTiled => IsWide && ChannelTileKernel.IsSupported && _bias.Length >= ChannelTileKernel.Channels
        && _window.OutWidth >= ChannelTileKernel.Pixels && _window.OutWidth <= 2 * ChannelTileKernel.Pixels;

    /// <summary>Where a channel tile's result [6, 64] goes in the scratch: after the padded copy and its tail.</summary>
    private int TileResultOffset => PaddedFloats + WideTail;

    /// <summary>Where the kernel's panel copies start in the scratch: after the padded copy and the GEMM's columns (a gathered tile is read in place).</summary>
    private int PanelOffset => IsPointwise ? 0
        : IsWide ? PaddedFloats + WideTail + (_bias.Length * WideColumns)
        : PaddedFloats + (_groupOffsets.Length * _groupRows * _window.OutWidth);

    /// <summary>A stride-1 window narrower than 64 columns, run as one wide GEMM per part (no gathering).</summary>
    private bool IsWide => !_nhwc && !IsPointwise && !IsSubsample && _window.StrideHeight == 1 && _window.StrideWidth == 1 && _window.OutWidth < 64;

    /// <summary>Columns of the wide product, OH * Wp.</summary>
    private int WideColumns => _window.OutHeight * _phaseWidth;

    /// <summary>Floats the last output row's dropped columns may read past the padded planes.</summary>
    private int WideTail => ((_window.KernelWidth - 1) * _window.DilationWidth) + 16;

    private int PaddedFloats => IsSubsample ? 0 : _channels * _window.StrideWidth * _paddedHeight * _phaseWidth;

    /// <summary>A strided 1x1 conv without pads (a residual shortcut): B rows are gathered from x directly, with no padded copy.</summary>
    private bool IsSubsample => !_nhwc && !IsPointwise && _window.KernelHeight == 1 && _window.KernelWidth == 1
        && _window.PadTop == 0 && _window.PadLeft == 0 && _window.PadBottom == 0 && _window.PadRight == 0;

    /// <summary>A 1x1 stride-1 unpadded conv: one GEMM over x itself.</summary>
    public bool IsPointwise => !_nhwc && _window.KernelHeight == 1 && _window.KernelWidth == 1 && _window.StrideHeight == 1 && _window.StrideWidth == 1
        && _window.PadTop == 0 && _window.PadLeft == 0 && _window.PadBottom == 0 && _window.PadRight == 0;

    private int Plane => _window.OutHeight * _window.OutWidth;

    public override int Parts(int workers)
    {
        long flops = 2L * _bias.Length * _rows.Length * Plane;
        int byWork = (int)Math.Clamp(flops / FlopsPerPart, 1, workers);
        return Math.Min(byWork, IsPointwise ? Math.Max(1, Plane / ColumnUnit) : (_window.OutHeight + Math.Max(1, _groupRows) - 1) / Math.Max(1, _groupRows));
    }

    public override void Execute(RunState state, int image, int arena, int worker, int part, int parts)
    {
        float* x = state.Address(Inputs[0], image, arena);
        float* y = state.Address(Output, image, arena);
        float* r = _residual is null ? null : state.Address(_residual, image, arena);
        int residualRows = _residual is null ? 0 : _residual.Channels;
        int m = _bias.Length, k = _rows.Length;
        fixed (float* packed = _packed, bias = _bias)
        fixed (int* rows = _rows)
        {
            float* panel = state.Scratch[worker] + PanelOffset;
            if (IsPointwise)
            {
                (int begin, int end) = Range(Plane, part, parts, ColumnUnit);
                Pointwise(state, image, arena, x + begin, rows, begin, end - begin, panel);
                return;
            }

            float* pad = state.Scratch[worker];
            if (!IsSubsample)
            {
                Pad(x, pad);
            }

            int ow = _window.OutWidth;
            if (IsChannelTiled)
            {
                (int first, int last) = Range(_window.OutHeight, part, parts, 1);
                ExecuteChannelTiled(pad, first, last, packed, bias, rows, r, residualRows, y);
                return;
            }

            if (IsWide)
            {
                (int first, int last) = Range(_window.OutHeight, part, parts, 1);
                ExecuteWide(pad, first, last, packed, bias, rows, r, residualRows, y, panel);
                return;
            }

            if (_groupRows == 0)
            {
                (int first, int last) = Range(_window.OutHeight, part, parts, 1);
                for (int p = first; p < last; p++)
                {
                    float* b = pad + (p * _window.StrideHeight * _phaseWidth);
                    ConvKernel.Run(m, ow, k, packed, b, rows, bias, r + (p * ow), Plane, residualRows, y + (p * ow), Plane, _relu, panel);
                }

                return;
            }

            float* columns = pad + PaddedFloats;
            (int from, int to) = Range(_window.OutHeight, part, parts, _groupRows);
            fixed (int* groupRows = _groupOffsets)
            {
                for (int p0 = from; p0 < to; p0 += _groupRows)
                {
                    int count = Math.Min(_groupRows, to - p0);
                    if (IsSubsample)
                    {
                        GatherStrided(x, p0, count, columns);
                    }
                    else
                    {
                        Gather(pad, p0, count, columns);
                    }

                    ConvKernel.Run(m, count * ow, k, packed, columns, groupRows, bias, r + (p0 * ow), Plane, residualRows, y + (p0 * ow), Plane, _relu, null);
                }
            }
        }
    }

    /// <summary>Floats of scratch <see cref="Pointwise"/> needs for its copies of B's panels.</summary>
    public int PointwisePanelFloats => ConvKernel.PanelFloats(_bias.Length, _rows.Length);

    /// <summary>
    /// Output columns [begin, begin + n) of a 1x1 conv (<see cref="IsPointwise"/>), with B row c (input channel c of
    /// those columns) at b + rows[c]: y[m, begin + j] = relu?(bias[m] + r[m, begin + j] + sum over c of W[m, c] B[c, j]).
    /// </summary>
    public void Pointwise(RunState state, int image, int arena, float* b, int* rows, int begin, int n, float* panel)
    {
        float* y = state.Address(Output, image, arena);
        float* r = _residual is null ? null : state.Address(_residual, image, arena);
        int residualRows = _residual is null ? 0 : _residual.Channels;
        fixed (float* packed = _packed, bias = _bias)
        {
            ConvKernel.Run(_bias.Length, n, _rows.Length, packed, b, rows, bias, r + begin, Plane, residualRows, y + begin, Plane, _relu, panel);
        }
    }

    /// <summary>
    /// Output rows [first, last) as one GEMM: wide[o, q] for q = oh * Wp + ow reads B row k at pad + rows[k] + q; then
    /// y[o, oh, ow] = wide[o, oh * Wp + ow] for ow &lt; OW, with the residual and ReLU applied there when there is a residual.
    /// </summary>
    private void ExecuteWide(float* pad, int first, int last, float* packed, float* bias, int* rows, float* r, int residualRows, float* y, float* panel)
    {
        int wp = _phaseWidth, ow = _window.OutWidth, columns = WideColumns, m = _bias.Length;
        float* wide = pad + PaddedFloats + WideTail;
        bool fused = _residual is null;
        ConvKernel.Run(m, (last - first) * wp, _rows.Length, packed, pad + (first * wp), rows, bias, null, 0, 0, wide + (first * wp), columns, _relu && fused, panel);
        for (int o = 0; o < m; o++)
        {
            for (int p = first; p < last; p++)
            {
                float* source = wide + ((long)o * columns) + (p * wp);
                float* target = y + ((long)o * Plane) + (p * ow);
                var row = new Span<float>(target, ow);
                if (o < residualRows)
                {
                    TensorPrimitives.Add(new ReadOnlySpan<float>(source, ow), new ReadOnlySpan<float>(r + ((long)o * Plane) + (p * ow), ow), row);
                }
                else
                {
                    RowCopy.Copy(source, target, ow);
                }

                if (!fused && _relu)
                {
                    TensorPrimitives.Max(row, 0f, row);
                }
            }
        }
    }

    /// <summary>
    /// Output rows [first, last) in <see cref="ChannelTileKernel"/> tiles: per 64-channel panel (so the panel stays in
    /// L2 across the rows), per row, 6 outputs at a time (the last shifted back to end at OW), tile (i, j) is
    /// y[m0 + j, oh, ow0 + i] = relu?(bias + r + result[i, j]); B's rows for it start at pad + rows[k] + oh Wp + ow0.
    /// </summary>
    private void ExecuteChannelTiled(float* pad, int first, int last, float* packed, float* bias, int* rows, float* r, int residualRows, float* y)
    {
        const int pixels = ChannelTileKernel.Pixels, channels = ChannelTileKernel.Channels;
        int m = _bias.Length, k = _rows.Length, ow = _window.OutWidth, wp = _phaseWidth, plane = Plane;
        float* result = (float*)(((nint)(pad + TileResultOffset) + 63) & ~(nint)63);
        for (int t = 0; t < ChannelTileKernel.Panels(m); t++)
        {
            int m0 = ChannelTileKernel.FirstChannel(t, m);
            float* panel = packed + ((long)t * k * channels);
            for (int oh = first; oh < last; oh++)
            {
                for (int start = 0; start < ow; start += pixels)
                {
                    int ow0 = Math.Min(start, ow - pixels), p0 = (oh * ow) + ow0;
                    ChannelTileKernel.Tile(k, panel, pad + (oh * wp) + ow0, rows, result);
                    for (int j = 0; j < channels; j++)
                    {
                        int o = m0 + j;
                        float b = bias[o];
                        float* target = y + ((long)o * plane) + p0;
                        float* residual = o < residualRows ? r + ((long)o * plane) + p0 : null;
                        for (int i = 0; i < pixels; i++)
                        {
                            float value = result[(i * channels) + j] + b + (residual == null ? 0f : residual[i]);
                            target[i] = _relu ? MathF.Max(value, 0f) : value;
                        }
                    }
                }
            }
        }
    }

    /// <summary>columns [K, count OW] (row stride groupRows OW): row k holds B row k of output rows p0 .. p0 + count, side by side.</summary>
    private void Gather(float* pad, int p0, int count, float* columns)
    {
        int ow = _window.OutWidth, stride = _groupRows * ow;
        for (int k = 0; k < _rows.Length; k++)
        {
            float* dst = columns + ((long)k * stride);
            for (int p = p0; p < p0 + count; p++, dst += ow)
            {
                RowCopy.Copy(pad + _rows[k] + (p * _window.StrideHeight * _phaseWidth), dst, ow);
            }
        }
    }

    /// <summary>columns [C, count OW] (row stride groupRows OW): row c holds x[c, p sH, q sW] for output rows p0 .. p0 + count.</summary>
    private void GatherStrided(float* x, int p0, int count, float* columns)
    {
        Slot input = Inputs[0];
        int ow = _window.OutWidth, stride = _groupRows * ow, sw = _window.StrideWidth;
        for (int c = 0; c < _channels; c++)
        {
            float* dst = columns + ((long)c * stride);
            for (int p = p0; p < p0 + count; p++, dst += ow)
            {
                float* src = x + (((long)c * input.Height) + (p * _window.StrideHeight)) * input.Width;
                if (sw == 2 && Avx512F.IsSupported)
                {
                    RowCopy.CopyEvens(src, ow, dst);
                    continue;
                }

                for (int q = 0; q < ow; q++)
                {
                    dst[q] = src[q * sw];
                }
            }
        }
    }

    /// <summary>
    /// Copies x into per-channel phase planes [C, sW, paddedHeight, phaseWidth], zero-padded: padded column t of
    /// a row goes to phase t mod sW at t / sW, so every tap of a strided window reads contiguous floats.
    /// </summary>
    private void Pad(float* x, float* pad)
    {
        Slot input = Inputs[0];
        int height = _nhwc ? input.Shape[1] : input.Height, width = _nhwc ? input.Shape[2] : input.Width;
        long channelStride = _nhwc ? 1 : (long)height * width, rowStride = _nhwc ? (long)width * _channels : width;
        int pixelStride = _nhwc ? _channels : 1;
        int sw = _window.StrideWidth, left = _window.PadLeft, phasePlane = _paddedHeight * _phaseWidth;
        for (int c = 0; c < _channels; c++)
        {
            float* planes = pad + ((long)c * sw * phasePlane);
            new Span<float>(planes, sw * phasePlane).Clear();
            for (int ih = 0; ih < height; ih++)
            {
                float* src = x + (c * channelStride) + (ih * rowStride);
                float* row = planes + ((ih + _window.PadTop) * _phaseWidth);
                if (sw == 1 && pixelStride == 1)
                {
                    RowCopy.Copy(src, row + left, width);
                    continue;
                }

                if (sw == 2 && pixelStride == 1)
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
                        *dst++ = src[iw * pixelStride];
                    }
                }
            }
        }
    }
}
