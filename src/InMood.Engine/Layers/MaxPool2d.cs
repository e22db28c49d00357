using InMood.Engine.Tensors;
using InMood.Engine.Threading;

namespace InMood.Engine.Layers;

/// <summary>
/// Max pooling: y[n, c, p, q] = max over the window of x (padding never wins); the flat index of the
/// winner within its plane is kept so backward routes dy there: dx[argmax] += dy.
/// Shapes: x [N, C, H, W], y and argmax [N, C, OH, OW].
/// </summary>
public sealed class MaxPool2d : Layer, IParallelJob
{
    private ConvGeometry _geometry;
    private Shape _input;
    private int[] _argmax = [];
    private Tensor _x = null!;
    private Tensor _y = null!;

    public MaxPool2d(ConvGeometry geometry)
    {
        _geometry = geometry;
    }

    public override string Kind => "maxpool2d";

    public ConvGeometry Geometry => _geometry;

    public override Shape OutputShape(IReadOnlyList<Shape> inputs)
    {
        _input = inputs[0];
        _geometry = _geometry.For(_input.Height, _input.Width, "maxpool2d");
        return new Shape(_input.Channels, _geometry.OutHeight, _geometry.OutWidth);
    }

    public override IEnumerable<KeyValuePair<string, string>> Settings() => PoolSettings.Of(_geometry);

    public override void Forward(Tensor[] inputs, Tensor output, bool training)
    {
        if (_argmax.Length < output.Data.Length)
        {
            _argmax = new int[output.Data.Length];
        }

        _x = inputs[0];
        _y = output;
        WorkerPool.Shared.Run(this, output.Batch);
    }

    public void Execute(int n, int worker)
    {
        ConvGeometry g = _geometry;
        int h = _input.Height, w = _input.Width, oh = g.OutHeight, ow = g.OutWidth;
        ReadOnlySpan<float> x = _x.Sample(n);
        Span<float> y = _y.Sample(n);
        Span<int> argmax = _argmax.AsSpan(n * _y.Shape.Size, _y.Shape.Size);
        if (g is { KernelHeight: 2, KernelWidth: 2, StrideHeight: 2, StrideWidth: 2, PadTop: 0, PadLeft: 0 })
        {
            TwoByTwo(x, y, argmax);
            return;
        }

        for (int c = 0; c < _input.Channels; c++)
        {
            ReadOnlySpan<float> xc = x.Slice(c * h * w, h * w);
            int outBase = c * oh * ow;
            for (int p = 0; p < oh; p++)
            {
                int i0 = Math.Max(p * g.StrideHeight - g.PadTop, 0), i1 = Math.Min(p * g.StrideHeight - g.PadTop + g.KernelHeight, h);
                for (int q = 0; q < ow; q++)
                {
                    int j0 = Math.Max(q * g.StrideWidth - g.PadLeft, 0), j1 = Math.Min(q * g.StrideWidth - g.PadLeft + g.KernelWidth, w);
                    float best = float.NegativeInfinity;
                    int bestIndex = i0 * w + j0;
                    for (int i = i0; i < i1; i++)
                    {
                        for (int j = j0; j < j1; j++)
                        {
                            float v = xc[i * w + j];
                            if (v > best)
                            {
                                best = v;
                                bestIndex = i * w + j;
                            }
                        }
                    }

                    y[outBase + p * ow + q] = best;
                    argmax[outBase + p * ow + q] = bestIndex;
                }
            }
        }
    }

    /// <summary>
    /// The common 2x2 stride-2 window without padding, written out: same result and tie order (first maximum in
    /// row-major window order wins) as the general loop.
    /// </summary>
    private void TwoByTwo(ReadOnlySpan<float> x, Span<float> y, Span<int> argmax)
    {
        int w = _input.Width, plane = _input.Plane, oh = _geometry.OutHeight, ow = _geometry.OutWidth;
        for (int c = 0; c < _input.Channels; c++)
        {
            ReadOnlySpan<float> xc = x.Slice(c * plane, plane);
            for (int p = 0; p < oh; p++)
            {
                int top = 2 * p * w, bottom = top + w, o = (c * oh + p) * ow;
                for (int q = 0; q < ow; q++, o++)
                {
                    int i = top + 2 * q;
                    float best = xc[i];
                    int index = i;
                    if (xc[i + 1] > best)
                    {
                        best = xc[i + 1];
                        index = i + 1;
                    }

                    int j = bottom + 2 * q;
                    if (xc[j] > best)
                    {
                        best = xc[j];
                        index = j;
                    }

                    if (xc[j + 1] > best)
                    {
                        best = xc[j + 1];
                        index = j + 1;
                    }

                    y[o] = best;
                    argmax[o] = index;
                }
            }
        }
    }

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads)
    {
        if (inputGrads[0] is not { } dxTensor)
        {
            return;
        }

        Span<float> dxAll = dxTensor.Span;
        dxAll.Clear();
        int plane = _input.Plane, outPlane = _geometry.OutHeight * _geometry.OutWidth;
        ReadOnlySpan<float> dy = outputGrad.Span;
        for (int nc = 0; nc < outputGrad.Batch * _input.Channels; nc++)
        {
            Span<float> dx = dxAll.Slice(nc * plane, plane);
            ReadOnlySpan<int> argmax = _argmax.AsSpan(nc * outPlane, outPlane);
            ReadOnlySpan<float> dyc = dy.Slice(nc * outPlane, outPlane);
            for (int i = 0; i < outPlane; i++)
            {
                dx[argmax[i]] += dyc[i];
            }
        }
    }
}
