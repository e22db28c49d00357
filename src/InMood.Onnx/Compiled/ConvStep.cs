using InMood.Engine.Gemm;
using InMood.Onnx.Execution;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace InMood.Onnx.Compiled;

/// <summary>
/// Dense Conv (group 1) on one image, with the bias, an optional residual and an optional ReLU fused:
/// y[m, p] = relu(b[m] + r[m, p] + sum over k of W[m, k] col[k, p]).
/// Shapes: x [C, H, W] (or [H, W, C] when the input is the graph's NHWC input, read in place of its
/// Transpose), W [M, K = C kH kW], y [M, OH OW], r [R, OH OW] with R &lt;= M (channels R.. of a
/// zero-padded residual are zero, so BlazeFace's ConstantOfShape + Concat padding costs nothing).
/// A 1x1 stride-1 unpadded conv reads x as the GEMM's B; otherwise columns are unrolled (im2col) in
/// tiles of about 64 K floats of per-worker scratch, so the unrolled block stays in L2.
/// </summary>
internal sealed unsafe class ConvStep : Step
{
    private const int ColumnUnit = 32;
    private const int TileFloats = 64 * 1024;
    private readonly float[] _weight;
    private readonly float[] _bias;
    private readonly Window2d _window;
    private readonly bool _nhwc;
    private readonly Slot? _residual;
    private readonly bool _relu;
    private readonly int _k;
    private readonly int _tile;

    public ConvStep(string name, Slot x, Slot y, float[] weight, float[] bias, Window2d window, bool nhwc, Slot? residual, bool relu)
        : base(name, residual is null ? [x] : [x, residual], y)
    {
        _weight = GC.AllocateArray<float>(weight.Length, pinned: true);
        if (nhwc)
        {
            ChannelsLast(weight, bias.Length, x.Shape[3], window, _weight);
        }
        else
        {
            weight.CopyTo(_weight, 0);
        }

        _bias = GC.AllocateArray<float>(bias.Length, pinned: true);
        bias.CopyTo(_bias, 0);
        _window = window;
        _nhwc = nhwc;
        _residual = residual;
        _relu = relu;
        _k = weight.Length / bias.Length;
        _tile = IsPointwise ? 0 : Math.Max(ColumnUnit, TileFloats / _k / ColumnUnit * ColumnUnit);
    }

    public override string Kind => "Conv" + (_residual is null ? "" : "+Add") + (_relu ? "+Relu" : "");

    public override int ScratchFloats => _k * _tile;

    private bool IsPointwise => !_nhwc && _window.KernelHeight == 1 && _window.KernelWidth == 1 && _window.StrideHeight == 1 && _window.StrideWidth == 1
        && _window.PadTop == 0 && _window.PadLeft == 0 && _window.PadBottom == 0 && _window.PadRight == 0;

    private int Plane => _window.OutHeight * _window.OutWidth;

    public override int Parts(int workers)
    {
        long flops = 2L * _bias.Length * _k * Plane;
        int byWork = (int)Math.Clamp(flops / 200_000, 1, workers);
        return Math.Min(byWork, Math.Max(1, Plane / ColumnUnit));
    }

    public override void Execute(RunState state, int image, int arena, int worker, int part, int parts)
    {
        float* x = state.Address(Inputs[0], image, arena);
        float* y = state.Address(Output, image, arena);
        float* r = _residual is null ? null : state.Address(_residual, image, arena);
        (int begin, int end) = Range(Plane, part, parts, ColumnUnit);
        int step = IsPointwise ? end - begin : _tile;
        for (int n0 = begin; n0 < end; n0 += step)
        {
            int columns = Math.Min(step, end - n0);
            Prefill(y, r, n0, columns);
            fixed (float* w = _weight)
            {
                if (IsPointwise)
                {
                    Sgemm.Multiply(_bias.Length, columns, _k, w, _k, 1, x + n0, Plane, 1, y + n0, Plane, accumulate: true);
                }
                else if (_nhwc)
                {
                    float* patches = state.Scratch[worker];
                    UnrollChannelsLast(x, n0, columns, patches);
                    Sgemm.Multiply(_bias.Length, columns, _k, w, _k, 1, patches, 1, _k, y + n0, Plane, accumulate: true);
                }
                else
                {
                    float* col = state.Scratch[worker];
                    Unroll(x, n0, columns, col);
                    Sgemm.Multiply(_bias.Length, columns, _k, w, _k, 1, col, columns, 1, y + n0, Plane, accumulate: true);
                }
            }

            if (_relu)
            {
                for (int m = 0; m < _bias.Length; m++)
                {
                    var row = new Span<float>(y + ((long)m * Plane) + n0, columns);
                    TensorPrimitives.Max(row, 0f, row);
                }
            }
        }
    }

    /// <summary>y[m, n0 .. n0 + columns) = b[m] (+ r[m, same columns] for m &lt; R).</summary>
    private void Prefill(float* y, float* r, int n0, int columns)
    {
        int residualChannels = _residual is null ? 0 : _residual.Channels;
        for (int m = 0; m < _bias.Length; m++)
        {
            var row = new Span<float>(y + ((long)m * Plane) + n0, columns);
            if (m < residualChannels)
            {
                TensorPrimitives.Add(new ReadOnlySpan<float>(r + ((long)m * Plane) + n0, columns), _bias[m], row);
            }
            else
            {
                row.Fill(_bias[m]);
            }
        }
    }

    /// <summary>
    /// col [K, columns]: row (c kH + i) kW + j, column p - n0 holds x[c, oh sH - padTop + i dH, ow sW - padLeft + j dW]
    /// for output positions p = oh OW + ow in [n0, n0 + columns), zero outside x [C, H, W].
    /// </summary>
    private void Unroll(float* x, int n0, int columns, float* col)
    {
        Slot input = Inputs[0];
        Window2d g = _window;
        int height = input.Height, width = input.Width, ow = g.OutWidth, sw = g.StrideWidth;
        int row = 0;
        for (int c = 0; c < input.Channels; c++)
        {
            for (int i = 0; i < g.KernelHeight; i++)
            {
                for (int j = 0; j < g.KernelWidth; j++, row++)
                {
                    float* dst = col + ((long)row * columns);
                    int offsetW = (j * g.DilationWidth) - g.PadLeft;
                    int lo = Math.Clamp(CeilDiv(-offsetW, sw), 0, ow);
                    int hi = Math.Clamp(CeilDiv(width - offsetW, sw), lo, ow);
                    for (int p = n0; p < n0 + columns;)
                    {
                        int oh = p / ow, q0 = p - (oh * ow);
                        int q1 = Math.Min(ow, q0 + (n0 + columns - p));
                        float* d = dst + (p - n0) - q0;
                        int ih = (oh * g.StrideHeight) - g.PadTop + (i * g.DilationHeight);
                        if ((uint)ih >= (uint)height)
                        {
                            new Span<float>(d + q0, q1 - q0).Clear();
                        }
                        else
                        {
                            float* src = x + (((long)c * height) + ih) * width + offsetW;
                            int a = Math.Clamp(lo, q0, q1), b = Math.Clamp(hi, a, q1);
                            new Span<float>(d + q0, a - q0).Clear();
                            for (int q = a; q < b; q++)
                            {
                                d[q] = src[q * sw];
                            }

                            new Span<float>(d + b, q1 - b).Clear();
                        }

                        p += q1 - q0;
                    }
                }
            }
        }
    }

    /// <summary>
    /// patches [columns, K] from x [H, W, C] (channels last): patch p - n0 is row-major (i, j, c), so each
    /// window row is one contiguous run of kW C floats of x (dilation 1), zero where it leaves x.
    /// </summary>
    private void UnrollChannelsLast(float* x, int n0, int columns, float* patches)
    {
        Slot input = Inputs[0];
        Window2d g = _window;
        int height = input.Shape[1], width = input.Shape[2], channels = input.Shape[3], ow = g.OutWidth;
        int run = g.KernelWidth * channels;
        for (int p = n0; p < n0 + columns; p++)
        {
            int oh = p / ow, q = p - (oh * ow);
            float* patch = patches + ((long)(p - n0) * _k);
            int iw0 = (q * g.StrideWidth) - g.PadLeft;
            int jlo = Math.Max(0, -iw0), jhi = Math.Min(g.KernelWidth, width - iw0);
            for (int i = 0; i < g.KernelHeight; i++, patch += run)
            {
                int ih = (oh * g.StrideHeight) - g.PadTop + i;
                if ((uint)ih >= (uint)height || jhi <= jlo)
                {
                    new Span<float>(patch, run).Clear();
                    continue;
                }

                new Span<float>(patch, jlo * channels).Clear();
                new ReadOnlySpan<float>(x + ((((long)ih * width) + iw0 + jlo) * channels), (jhi - jlo) * channels).CopyTo(new Span<float>(patch + (jlo * channels), (jhi - jlo) * channels));
                new Span<float>(patch + (jhi * channels), (g.KernelWidth - jhi) * channels).Clear();
            }
        }
    }

    /// <summary>Reorders W [M, C, kH, kW] into [M, kH, kW, C], the order of <see cref="UnrollChannelsLast"/>'s patches.</summary>
    private static void ChannelsLast(float[] weight, int m, int channels, Window2d g, float[] destination)
    {
        int kh = g.KernelHeight, kw = g.KernelWidth, k = channels * kh * kw;
        for (int o = 0; o < m; o++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int i = 0; i < kh; i++)
                {
                    for (int j = 0; j < kw; j++)
                    {
                        destination[(o * k) + (((i * kw) + j) * channels) + c] = weight[(o * k) + (((c * kh) + i) * kw) + j];
                    }
                }
            }
        }
    }

    private static int CeilDiv(int a, int b) => a >= 0 ? (a + b - 1) / b : -(-a / b);
}
