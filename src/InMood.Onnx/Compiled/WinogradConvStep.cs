using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using InMood.Onnx.Execution;

namespace InMood.Onnx.Compiled;

/// <summary>
/// Dense 3 x 3 stride-1 Conv on one image by Winograd's minimal filtering F(2 x 2, 3 x 3), with the bias, an optional
/// residual and an optional ReLU fused; the same y as <see cref="ConvStep"/> with 16 multiplies per 2 x 2 output tile
/// instead of 36. Shapes: x [C, H, W], W [M, C, 3, 3], y [M, OH, OW], r [R, OH, OW] with R &lt;= M.
/// Output tile (th, tw) covers y rows 2 th, 2 th + 1 and columns 2 tw, 2 tw + 1 and reads the 4 x 4 patch d of xpad at
/// rows 2 th .., columns 2 tw ... With B^T = [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]],
/// G = [[1, 0, 0], [1/2, 1/2, 1/2], [1/2, -1/2, 1/2], [0, 0, 1]] and A^T = [[1, 1, 1, 0], [0, 1, -1, -1]]:
/// U = G g G^T per (m, c) (once, at compile time), V = B^T d B per (c, tile), then for each of the 16 positions xi of
/// the 4 x 4 transforms one GEMM M_xi [M, T] = U_xi [M, C] V_xi [C, T] (<see cref="ConvKernel"/>), and
/// y tile = A^T M A + b.
/// Tile rows are taken in blocks that keep V and M (16 (C + M) floats per tile) in L2. Each block's rows of xpad are
/// first copied into four phase planes by row and column parity, Q[a][b][th][tw] = xpad[2 th + a, 2 tw + b], so
/// every one of the 16 patch values of 16 adjacent tiles is one contiguous vector load.
/// AVX-512 only (its masks end the output rows); elsewhere the plan keeps <see cref="ConvStep"/>.
/// </summary>
internal sealed unsafe class WinogradConvStep : Step
{
    private const int Lanes = 16;
    private const int Positions = 16;

    /// <summary>Floats of V and M one block may take: 768 KB, within the L2 of the machines we run on.</summary>
    private const int BlockFloats = 192 * 1024;

    /// <summary>
    /// Tiles a block has at least (the GEMMs' N). Narrower products fall to the kernel's edge paths: in blocks of one
    /// 6-tile row, FerVgg's 12 x 12 convs took 27 times the direct conv's time (its scalar path), against 0.9-0.95 now.
    /// </summary>
    private const int MinimumBlockTiles = 48;

    private static readonly Vector512<int> s_lowHalf = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    private static readonly Vector512<int> s_highHalf = Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);

    private readonly float[] _packed;
    private readonly int _packedFloats;
    private readonly float[] _bias;
    private readonly float[] _noBias;
    private readonly int[] _rows;
    private readonly Window2d _window;
    private readonly Slot? _residual;
    private readonly bool _relu;
    private readonly int _channels;
    private readonly int _tileRows;
    private readonly int _tileColumns;
    private readonly int _blockRows;

    public WinogradConvStep(string name, Slot x, Slot y, float[] weight, float[] bias, Window2d window, Slot? residual, bool relu)
        : base(name, residual is null ? [x] : [x, residual], y)
    {
        System.Diagnostics.Debug.Assert(Applies(x.Channels, bias.Length, window), "the plan picks this step only where it applies");
        _window = window;
        _residual = residual;
        _relu = relu;
        _channels = x.Channels;
        int m = bias.Length;
        _bias = Pinned(bias);
        _noBias = GC.AllocateArray<float>(m, pinned: true);
        _tileRows = (window.OutHeight + 1) / 2;
        _tileColumns = (window.OutWidth + 1) / 2;
        int fitting = BlockFloats / (Positions * (_channels + m) * _tileColumns);
        _blockRows = Math.Clamp(Math.Max(fitting, (MinimumBlockTiles + _tileColumns - 1) / _tileColumns), 1, _tileRows);
        _rows = GC.AllocateArray<int>(_channels, pinned: true);
        for (int c = 0; c < _channels; c++)
        {
            _rows[c] = c * TileStride;
        }

        _packedFloats = ConvKernel.PackedFloats(m, _channels);
        _packed = GC.AllocateArray<float>(Positions * _packedFloats, pinned: true);
        TransformWeights(weight, m, _channels, _packed, _packedFloats);
    }

    /// <summary>
    /// Whether a dense conv runs this way: 3 x 3, stride 1, undilated, at least 16 input and output channels and 144
    /// output pixels, on AVX-512. 12 x 12 (FerVgg's third stage, 0.90-0.95 of the direct time) is the smallest map
    /// measured to win; on narrower maps most of each 16-tile vector of the transforms is past the row's end.
    /// </summary>
    public static bool Applies(int channels, int outputs, Window2d window) =>
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported
        && window.KernelHeight == 3 && window.KernelWidth == 3 && window.StrideHeight == 1 && window.StrideWidth == 1
        && window.DilationHeight == 1 && window.DilationWidth == 1
        && channels >= 16 && outputs >= 16 && window.OutHeight * window.OutWidth >= 144;

    public override string Kind => "WinogradConv" + (_residual is null ? "" : "+Add") + (_relu ? "+Relu" : "");

    /// <summary>Row pitch of the phase planes: one column more than the tiles, as each tile also reads its right neighbour's column.</summary>
    private int PhasePitch => _tileColumns + 1;

    /// <summary>Floats of one phase plane of a block: its tile rows plus the next one and a vector of slack for the last loads, in whole vectors.</summary>
    private int PhaseFloats => (((_blockRows + 1) * PhasePitch) + (2 * Lanes) - 1) / Lanes * Lanes;

    /// <summary>Row stride of V and M: the block's tiles plus a vector of slack that the last row's whole-vector stores and loads run into.</summary>
    private int TileStride => ((_blockRows * _tileColumns) + (2 * Lanes) - 1) / Lanes * Lanes;

    /// <summary>
    /// Floats from one position's V [C, TileStride] to the next's: a cache line more than the matrix, so the 16 stores of
    /// one input transform (and the 16 loads of one output transform) fall in different L1 sets instead of one.
    /// </summary>
    private int TransformedPitch => (_channels * TileStride) + Lanes;

    /// <summary>Floats from one position's M [M, TileStride] to the next's, skewed like <see cref="TransformedPitch"/>.</summary>
    private int ProductPitch => (_bias.Length * TileStride) + Lanes;

    /// <summary>Where V starts in the scratch: after the phase planes, which start it.</summary>
    private int TransformedOffset => _channels * 4 * PhaseFloats;

    private int ProductOffset => TransformedOffset + (Positions * TransformedPitch);

    private int PanelOffset => ProductOffset + (Positions * ProductPitch);

    public override int ScratchFloats => PanelOffset + ConvKernel.PanelFloats(_bias.Length, _channels) + Lanes;

    public override int Parts(int workers)
    {
        long flops = 2L * _bias.Length * _channels * 9 * _window.OutHeight * _window.OutWidth;
        return Math.Min((int)Math.Clamp(flops / FlopsPerPart, 1, workers), _tileRows);
    }

    public override void Execute(RunState state, int image, int arena, int worker, int part, int parts)
    {
        float* x = state.Address(Inputs[0], image, arena);
        float* y = state.Address(Output, image, arena);
        float* r = _residual is null ? null : state.Address(_residual, image, arena);
        float* scratch = (float*)(((nint)state.Scratch[worker] + 63) & ~(nint)63);
        (int first, int last) = Range(_tileRows, part, parts, 1);
        fixed (float* packed = _packed, bias = _bias, noBias = _noBias)
        fixed (int* rows = _rows)
        {
            for (int t0 = first; t0 < last; t0 += _blockRows)
            {
                int count = Math.Min(_blockRows, last - t0);
                int tiles = count * _tileColumns;
                float* v = scratch + TransformedOffset, product = scratch + ProductOffset;
                SplitPhases(x, t0, count, scratch);
                TransformInput(scratch, count, v);
                for (int xi = 0; xi < Positions; xi++)
                {
                    // NOTE: A^T M A adds M[1, 1] once to each of the tile's four outputs, so the bias rides on that GEMM's epilogue.
                    ConvKernel.Run(_bias.Length, tiles, _channels, packed + ((long)xi * _packedFloats), v + ((long)xi * TransformedPitch), rows,
                        xi == 5 ? bias : noBias, null, 0, 0, product + ((long)xi * ProductPitch), TileStride, relu: false, scratch + PanelOffset);
                }

                TransformOutput(product, t0, count, r, y);
            }
        }
    }

    /// <summary>
    /// U_xi [M, C] = (G g G^T)[xi] for each 3 x 3 filter g = W[m, c], packed by <see cref="ConvKernel.PackInto"/> into
    /// packed[xi packedFloats ..]: the 16 matrices are built side by side in one array, then each is packed straight into
    /// its slice of the step's weights.
    /// </summary>
    private static void TransformWeights(float[] weight, int m, int channels, float[] packed, int packedFloats)
    {
        int size = m * channels;
        float[] u = new float[Positions * size];
        Span<float> gg = stackalloc float[12];
        for (int o = 0; o < m; o++)
        {
            for (int c = 0; c < channels; c++)
            {
                ReadOnlySpan<float> g = weight.AsSpan(((o * channels) + c) * 9, 9);
                for (int j = 0; j < 3; j++)
                {
                    gg[j] = g[j];
                    gg[3 + j] = 0.5f * (g[j] + g[3 + j] + g[6 + j]);
                    gg[6 + j] = 0.5f * (g[j] - g[3 + j] + g[6 + j]);
                    gg[9 + j] = g[6 + j];
                }

                int at = (o * channels) + c;
                for (int i = 0; i < 4; i++)
                {
                    float a = gg[3 * i], b = gg[(3 * i) + 1], d = gg[(3 * i) + 2];
                    u[(((4 * i) + 0) * size) + at] = a;
                    u[(((4 * i) + 1) * size) + at] = 0.5f * (a + b + d);
                    u[(((4 * i) + 2) * size) + at] = 0.5f * (a - b + d);
                    u[(((4 * i) + 3) * size) + at] = d;
                }
            }
        }

        for (int xi = 0; xi < Positions; xi++)
        {
            ConvKernel.PackInto(u.AsSpan(xi * size, size), m, channels, packed.AsSpan(xi * packedFloats, packedFloats));
        }
    }

    /// <summary>
    /// q[c, a, b] [count + 1, PhasePitch] (plane stride PhaseFloats) = xpad[c, 2 (t0 + th) + a, 2 tw + b] for the
    /// block's tile rows t0 .. t0 + count and the row after them; pads and the columns past W are zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SplitPhases(float* x, int t0, int count, float* q)
    {
        Slot input = Inputs[0];
        int height = input.Height, width = input.Width, pitch = PhasePitch, plane = PhaseFloats;
        new Span<float>(q, _channels * 4 * plane).Clear();
        for (int c = 0; c < _channels; c++)
        {
            float* channel = x + ((long)c * height * width);
            for (int pr = 2 * t0; pr < (2 * (t0 + count)) + 2; pr++)
            {
                int ih = pr - _window.PadTop;
                if (ih < 0 || ih >= height)
                {
                    continue;
                }

                float* row = q + ((((c * 4) + (2 * (pr & 1))) * plane) + (((pr >> 1) - t0) * pitch));
                RowCopy.IntoPhases2(channel + ((long)ih * width), width, row, _window.PadLeft, plane);
            }
        }
    }

    /// <summary>
    /// v[xi, c, th TW + tw] = (B^T d B)[xi] for the patch d of tile (t0 + th, tw), 16 tiles of a row at a time. A row's
    /// last vector runs past TW into the next row's tiles (or the slack), which are written after it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void TransformInput(float* q, int count, float* v)
    {
        int pitch = PhasePitch, plane = PhaseFloats, tw = _tileColumns, stride = TileStride;
        long position = TransformedPitch;
        for (int c = 0; c < _channels; c++)
        {
            float* q00 = q + (c * 4 * plane), q01 = q00 + plane, q10 = q01 + plane, q11 = q10 + plane;
            float* vc = v + ((long)c * stride);
            for (int th = 0; th < count; th++)
            {
                for (int w0 = 0; w0 < tw; w0 += Lanes)
                {
                    int u = (th * pitch) + w0, below = u + pitch;

                    // Patch rows 0..3 are phase rows (a = 0, th), (1, th), (0, th + 1), (1, th + 1); columns likewise.
                    Vector512<float> d00 = Vector512.Load(q00 + u), d01 = Vector512.Load(q01 + u), d02 = Vector512.Load(q00 + u + 1), d03 = Vector512.Load(q01 + u + 1);
                    Vector512<float> d10 = Vector512.Load(q10 + u), d11 = Vector512.Load(q11 + u), d12 = Vector512.Load(q10 + u + 1), d13 = Vector512.Load(q11 + u + 1);
                    Vector512<float> d20 = Vector512.Load(q00 + below), d21 = Vector512.Load(q01 + below), d22 = Vector512.Load(q00 + below + 1), d23 = Vector512.Load(q01 + below + 1);
                    Vector512<float> d30 = Vector512.Load(q10 + below), d31 = Vector512.Load(q11 + below), d32 = Vector512.Load(q10 + below + 1), d33 = Vector512.Load(q11 + below + 1);

                    // Rows of B^T d are (d0 - d2, d1 + d2, d2 - d1, d1 - d3); StoreRow applies the same to each row's columns.
                    float* at = vc + (th * tw) + w0;
                    StoreRow(at, position, d00 - d20, d01 - d21, d02 - d22, d03 - d23);
                    StoreRow(at + (4 * position), position, d10 + d20, d11 + d21, d12 + d22, d13 + d23);
                    StoreRow(at + (8 * position), position, d20 - d10, d21 - d11, d22 - d12, d23 - d13);
                    StoreRow(at + (12 * position), position, d10 - d30, d11 - d31, d12 - d32, d13 - d33);
                }
            }
        }
    }

    /// <summary>Positions 4 i .. 4 i + 3 of V from row i of B^T d: (w0 - w2, w1 + w2, w2 - w1, w1 - w3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* at, long position, Vector512<float> w0, Vector512<float> w1, Vector512<float> w2, Vector512<float> w3)
    {
        (w0 - w2).Store(at);
        (w1 + w2).Store(at + position);
        (w2 - w1).Store(at + (2 * position));
        (w1 - w3).Store(at + (3 * position));
    }

    /// <summary>
    /// y[o, 2 (t0 + th) + a, 2 tw + b] = relu((A^T M A)[a, b] + r[o, ...]) for the block's tiles (the bias is already in
    /// M[1, 1]): 16 tiles of a row give 32 output columns, interleaved by permutes and stored under masks that stop at OW.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void TransformOutput(float* product, int t0, int count, float* r, float* y)
    {
        int m = _bias.Length, tw = _tileColumns, stride = TileStride, oh = _window.OutHeight, ow = _window.OutWidth;
        int residualRows = _residual is null ? 0 : _residual.Channels;
        long position = ProductPitch, plane = (long)oh * ow;
        Vector512<int> lanes = Vector512<int>.Indices;
        for (int o = 0; o < m; o++)
        {
            float* mo = product + ((long)o * stride);
            for (int th = 0; th < count; th++)
            {
                int row = 2 * (t0 + th);
                for (int w0 = 0; w0 < tw; w0 += Lanes)
                {
                    float* at = mo + (th * tw) + w0;
                    (Vector512<float> s00, Vector512<float> s10) = RowsOfATM(at, position, 0);
                    (Vector512<float> s01, Vector512<float> s11) = RowsOfATM(at, position, 1);
                    (Vector512<float> s02, Vector512<float> s12) = RowsOfATM(at, position, 2);
                    (Vector512<float> s03, Vector512<float> s13) = RowsOfATM(at, position, 3);
                    for (int a = 0; a < 2 && row + a < oh; a++)
                    {
                        Vector512<float> e = a == 0 ? s00 + s01 + s02 : s10 + s11 + s12;
                        Vector512<float> d = a == 0 ? s01 - s02 - s03 : s11 - s12 - s13;
                        long offset = (o * plane) + ((long)(row + a) * ow) + (2 * w0);
                        float* residual = o < residualRows ? r + offset : null;
                        int columns = ow - (2 * w0);
                        Finish(Avx512F.PermuteVar16x32x2(e, s_lowHalf, d), y + offset, residual, columns, lanes);
                        if (columns > Lanes)
                        {
                            Finish(Avx512F.PermuteVar16x32x2(e, s_highHalf, d), y + offset + Lanes, residual is null ? null : residual + Lanes, columns - Lanes, lanes);
                        }
                    }
                }
            }
        }
    }

    /// <summary>Column j of A^T M, each of M[0..3, j] loaded once: (M[0, j] + M[1, j] + M[2, j], M[1, j] - M[2, j] - M[3, j]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float> Top, Vector512<float> Bottom) RowsOfATM(float* at, long position, int j)
    {
        Vector512<float> m0 = Vector512.Load(at + (j * position)), m1 = Vector512.Load(at + ((4 + j) * position));
        Vector512<float> m2 = Vector512.Load(at + ((8 + j) * position)), m3 = Vector512.Load(at + ((12 + j) * position));
        return (m0 + m1 + m2, m1 - m2 - m3);
    }

    /// <summary>Adds the residual, applies ReLU and stores the first min(16, columns) floats of one output run.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Finish(Vector512<float> value, float* y, float* residual, int columns, Vector512<int> lanes)
    {
        if (columns >= Lanes)
        {
            if (residual != null)
            {
                value += Vector512.Load(residual);
            }

            (_relu ? Vector512.Max(value, Vector512<float>.Zero) : value).Store(y);
            return;
        }

        Vector512<float> mask = Vector512.LessThan(lanes, Vector512.Create(columns)).AsSingle();
        if (residual != null)
        {
            value += Avx512F.MaskLoad(residual, mask, Vector512<float>.Zero);
        }

        Avx512F.MaskStore(y, mask, _relu ? Vector512.Max(value, Vector512<float>.Zero) : value);
    }
}
