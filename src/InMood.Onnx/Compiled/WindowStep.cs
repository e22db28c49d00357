using System.Runtime.Intrinsics;
using InMood.Onnx.Execution;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace InMood.Onnx.Compiled;

/// <summary>
/// A per-channel window op on one image: depthwise Conv (group = C = M) with bias and optional ReLU,
/// y[c, p, q] = relu(b[c] + sum over i, j of W[c, i, j] xpad[c, p sH + i, q sW + j]), or MaxPool,
/// y[c, p, q] = max over i, j of xpad[c, p sH + i, q sW + j].
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
    private readonly int _paddedHeight;
    private readonly int _phaseWidth;
    private readonly int[] _taps;

    public WindowStep(string name, Slot x, Slot y, Window2d window, float[]? weight, float[]? bias, bool relu)
        : base(name, [x], y)
    {
        if (window.DilationHeight != 1 || window.DilationWidth != 1)
        {
            throw new NotSupportedException($"Node '{name}': dilated depthwise convolution and pooling are not compiled.");
        }

        _window = window;
        _weight = weight;
        _bias = bias;
        _relu = relu;
        _paddedHeight = Math.Max(((window.OutHeight - 1) * window.StrideHeight) + window.KernelHeight, x.Height + window.PadTop);
        int paddedWidth = Math.Max(((window.OutWidth - 1) * window.StrideWidth) + window.KernelWidth, x.Width + window.PadLeft);
        _phaseWidth = ((paddedWidth + window.StrideWidth - 1) / window.StrideWidth) + Vector512<float>.Count;
        int phasePlane = _paddedHeight * _phaseWidth;
        _taps = new int[window.KernelHeight * window.KernelWidth];
        for (int i = 0; i < window.KernelHeight; i++)
        {
            for (int j = 0; j < window.KernelWidth; j++)
            {
                _taps[(i * window.KernelWidth) + j] = (i * _phaseWidth) + ((j % window.StrideWidth) * phasePlane) + (j / window.StrideWidth);
            }
        }
    }

    public override string Kind => _weight is null ? "MaxPool" : _relu ? "DepthwiseConv+Relu" : "DepthwiseConv";

    public override int ScratchFloats => _paddedHeight * _phaseWidth * _window.StrideWidth;

    public override int Parts(int workers)
    {
        long work = (long)Output.Length * _window.KernelHeight * _window.KernelWidth;
        return (int)Math.Clamp(work / 100_000, 1, Math.Min(workers, Output.Channels));
    }

    public override void Execute(RunState state, int image, int arena, int worker, int part, int parts)
    {
        float* x = state.Address(Inputs[0], image, arena);
        float* y = state.Address(Output, image, arena);
        float* pad = state.Scratch[worker];
        Slot input = Inputs[0];
        int plane = input.Height * input.Width, outPlane = _window.OutHeight * _window.OutWidth;
        (int begin, int end) = Range(Output.Channels, part, parts, 1);
        for (int c = begin; c < end; c++)
        {
            Pad(x + ((long)c * plane), pad);
            float* yc = y + ((long)c * outPlane);
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

            if (_relu)
            {
                var yPlane = new Span<float>(yc, outPlane);
                TensorPrimitives.Max(yPlane, 0f, yPlane);
            }
        }
    }

    /// <summary>Copies x [H, W] into the phase planes [sW, paddedHeight, phaseWidth], filling pads with 0 or -inf.</summary>
    private void Pad(float* x, float* pad)
    {
        Slot input = Inputs[0];
        int height = input.Height, width = input.Width, sw = _window.StrideWidth, left = _window.PadLeft;
        float fill = _weight is null ? float.NegativeInfinity : 0f;
        int phasePlane = _paddedHeight * _phaseWidth;
        for (int r = 0; r < _paddedHeight; r++)
        {
            int ih = r - _window.PadTop;
            float* row = pad + (r * _phaseWidth);
            if ((uint)ih >= (uint)height)
            {
                for (int phase = 0; phase < sw; phase++)
                {
                    new Span<float>(row + (phase * phasePlane), _phaseWidth).Fill(fill);
                }

                continue;
            }

            float* src = x + ((long)ih * width);
            if (sw == 1)
            {
                new Span<float>(row, left).Fill(fill);
                new ReadOnlySpan<float>(src, width).CopyTo(new Span<float>(row + left, width));
                new Span<float>(row + left + width, _phaseWidth - left - width).Fill(fill);
                continue;
            }

            for (int phase = 0; phase < sw; phase++)
            {
                new Span<float>(row + (phase * phasePlane), _phaseWidth).Fill(fill);
            }

            int t = left;
            int column = t / sw, phaseOf = t % sw;
            for (int iw = 0; iw < width; iw++)
            {
                row[(phaseOf * phasePlane) + column] = src[iw];
                if (++phaseOf == sw)
                {
                    phaseOf = 0;
                    column++;
                }
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

    /// <summary>Output row p of one channel of MaxPool, reading the -inf padded phase planes.</summary>
    private void MaxRow(float* pad, int p, float* y)
    {
        int ow = _window.OutWidth;
        float* rowBase = pad + (p * _window.StrideHeight * _phaseWidth);
        ReadOnlySpan<int> offsets = _taps;
        int q = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; q + Vector512<float>.Count <= ow; q += Vector512<float>.Count)
            {
                Vector512<float> acc = Vector512.Load(rowBase + offsets[0] + q);
                for (int t = 1; t < offsets.Length; t++)
                {
                    acc = Vector512.Max(acc, Vector512.Load(rowBase + offsets[t] + q));
                }

                acc.Store(y + q);
            }
        }

        for (; q + Vector256<float>.Count <= ow; q += Vector256<float>.Count)
        {
            Vector256<float> acc = Vector256.Load(rowBase + offsets[0] + q);
            for (int t = 1; t < offsets.Length; t++)
            {
                acc = Vector256.Max(acc, Vector256.Load(rowBase + offsets[t] + q));
            }

            acc.Store(y + q);
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
