using InMood.Engine.Tensors;

namespace InMood.Engine.Layers;

/// <summary>
/// Average pooling: y = mean of x over the window. With countPadding the divisor is kH*kW; without it
/// (ONNX's default count_include_pad = 0) only the window cells inside the image count.
/// Backward spreads dy / divisor over the same cells. Shapes: x [N, C, H, W], y [N, C, OH, OW].
/// </summary>
public sealed class AvgPool2d(ConvGeometry geometry, bool countPadding = false) : Layer
{
    private ConvGeometry _geometry = geometry;
    private Shape _input;

    public override string Kind => "avgpool2d";

    public bool CountPadding => countPadding;

    public ConvGeometry Geometry => _geometry;

    public override Shape OutputShape(IReadOnlyList<Shape> inputs)
    {
        _input = inputs[0];
        _geometry = _geometry.For(_input.Height, _input.Width, "avgpool2d");
        return new Shape(_input.Channels, _geometry.OutHeight, _geometry.OutWidth);
    }

    public override IEnumerable<KeyValuePair<string, string>> Settings()
        => PoolSettings.Of(_geometry).Append(new("count_pad", countPadding ? "true" : "false"));

    public override void Forward(Tensor[] inputs, Tensor output, bool training)
    {
        ReadOnlySpan<float> x = inputs[0].Span;
        Span<float> y = output.Span;
        int plane = _input.Plane, outPlane = _geometry.OutHeight * _geometry.OutWidth;
        for (int nc = 0; nc < output.Batch * _input.Channels; nc++)
        {
            ReadOnlySpan<float> xc = x.Slice(nc * plane, plane);
            for (int o = 0; o < outPlane; o++)
            {
                Window(o, out int i0, out int i1, out int j0, out int j1, out float scale);
                float sum = 0f;
                for (int i = i0; i < i1; i++)
                {
                    for (int j = j0; j < j1; j++)
                    {
                        sum += xc[i * _input.Width + j];
                    }
                }

                y[nc * outPlane + o] = sum * scale;
            }
        }
    }

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads)
    {
        if (inputGrads[0] is not { } dxTensor)
        {
            return;
        }

        ReadOnlySpan<float> dy = outputGrad.Span;
        Span<float> dx = dxTensor.Span;
        dx.Clear();
        int plane = _input.Plane, outPlane = _geometry.OutHeight * _geometry.OutWidth;
        for (int nc = 0; nc < outputGrad.Batch * _input.Channels; nc++)
        {
            Span<float> dxc = dx.Slice(nc * plane, plane);
            for (int o = 0; o < outPlane; o++)
            {
                Window(o, out int i0, out int i1, out int j0, out int j1, out float scale);
                float share = dy[nc * outPlane + o] * scale;
                for (int i = i0; i < i1; i++)
                {
                    for (int j = j0; j < j1; j++)
                    {
                        dxc[i * _input.Width + j] += share;
                    }
                }
            }
        }
    }

    /// <summary>The input rows [i0, i1) and columns [j0, j1) of output cell o, and 1 / divisor.</summary>
    private void Window(int o, out int i0, out int i1, out int j0, out int j1, out float scale)
    {
        ConvGeometry g = _geometry;
        int h = _input.Height, w = _input.Width;
        int top = o / g.OutWidth * g.StrideHeight - g.PadTop, left = o % g.OutWidth * g.StrideWidth - g.PadLeft;
        i0 = Math.Max(top, 0);
        i1 = Math.Min(top + g.KernelHeight, h);
        j0 = Math.Max(left, 0);
        j1 = Math.Min(left + g.KernelWidth, w);
        int count = countPadding
            ? (Math.Min(top + g.KernelHeight, h + g.PadBottom) - top) * (Math.Min(left + g.KernelWidth, w + g.PadRight) - left)
            : (i1 - i0) * (j1 - j0);
        scale = 1f / Math.Max(count, 1);
    }
}
