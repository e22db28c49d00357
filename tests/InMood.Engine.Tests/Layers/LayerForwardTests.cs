using InMood.Engine.Layers;
using InMood.Engine.Tensors;

namespace InMood.Engine.Tests.Layers;

public class LayerForwardTests
{
    [Fact]
    public void SoftmaxApply_LargeLogits_IsFiniteAndCorrect()
    {
        float[] p = new float[2];

        Softmax.Apply([1000f, 1001f], p);

        Assert.All(p, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(1f / (1f + MathF.E), p[0], 1e-6f);
        Assert.Equal(MathF.E / (1f + MathF.E), p[1], 1e-6f);
    }

    [Fact]
    public void Conv2dForward_KnownWeights_GivesKnownOutput()
    {
        // 1x3x3 input 1..9, one 2x2 kernel of ones, bias 0.5, stride 1, no padding: sums of each 2x2 window + 0.5.
        var conv = new Conv2d(1, 1, new ConvGeometry(2, 2, 1, 1, 0, 0, 0, 0));
        Array.Fill(conv.Weight.Value, 1f);
        conv.Bias!.Value[0] = 0.5f;
        Tensor x = Make(new Shape(1, 3, 3), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        var y = new Tensor(conv.OutputShape([x.Shape]));
        y.Resize(1);

        conv.Forward([x], y, training: false);

        Assert.Equal([12.5f, 16.5f, 24.5f, 28.5f], y.Span.ToArray());
    }

    [Theory]
    [InlineData(1, 3, 5, 3, 1, 1, 1, 2, 0, 1, 1)]
    [InlineData(9, 4, 6, 3, 2, 1, 0, 1, 1, 1, 1)]
    [InlineData(7, 6, 4, 1, 1, 0, 0, 0, 0, 1, 1)]
    [InlineData(3, 6, 4, 3, 1, 1, 1, 1, 1, 2, 1)]
    [InlineData(40, 8, 8, 3, 1, 1, 1, 1, 1, 1, 0)]
    public void Conv2dForward_AnyBatchAndGeometry_EqualsDirectDefinition(
        int batch, int inC, int outC, int kernel, int stride, int padTop, int padLeft, int padBottom, int padRight, int groups, int bias)
        => AssertConvEqualsDirectDefinition(batch, inC, outC, 6, 7, kernel, stride, padTop, padLeft, padBottom, padRight, groups, bias);

    /// <summary>Output planes of 256 and more at stride 1 take the implicit-GEMM path over the padded input.</summary>
    [Theory]
    [InlineData(3, 5, 7, 17, 21, 3, 1, 1, 1, 1, 1, 1)]
    [InlineData(2, 4, 6, 20, 19, 3, 0, 2, 1, 0, 1, 0)]
    [InlineData(2, 6, 4, 18, 18, 5, 2, 2, 2, 2, 2, 1)]
    [InlineData(1, 3, 40, 24, 24, 3, 1, 1, 1, 1, 1, 0)]
    [InlineData(2, 2, 3, 30, 25, 2, 0, 0, 1, 1, 1, 1)]
    public void Conv2dForward_LargePlaneStrideOne_EqualsDirectDefinition(
        int batch, int inC, int outC, int height, int width, int kernel, int padTop, int padLeft, int padBottom, int padRight, int groups, int bias)
        => AssertConvEqualsDirectDefinition(batch, inC, outC, height, width, kernel, 1, padTop, padLeft, padBottom, padRight, groups, bias);

    /// <summary>64 and more output channels on rows of 6 to 12 outputs at stride 1 take the channel-tiled path (AVX-512).</summary>
    [Theory]
    [InlineData(2, 5, 64, 6, 6, 3, 1, 1, 1, 1, 1)]
    [InlineData(3, 8, 70, 12, 12, 3, 1, 1, 1, 1, 0)]
    [InlineData(2, 4, 96, 7, 9, 3, 1, 0, 1, 2, 1)]
    [InlineData(1, 3, 64, 8, 8, 2, 0, 0, 0, 0, 1)]
    [InlineData(2, 6, 130, 5, 10, 3, 0, 1, 2, 1, 1)]
    public void Conv2dForward_SmallMapManyChannels_EqualsDirectDefinition(
        int batch, int inC, int outC, int height, int width, int kernel, int padTop, int padLeft, int padBottom, int padRight, int bias)
        => AssertConvEqualsDirectDefinition(batch, inC, outC, height, width, kernel, 1, padTop, padLeft, padBottom, padRight, 1, bias);

    private static void AssertConvEqualsDirectDefinition(
        int batch, int inC, int outC, int height, int width, int kernel, int stride, int padTop, int padLeft, int padBottom, int padRight, int groups, int bias)
    {
        var geometry = new ConvGeometry(kernel, kernel, stride, stride, padTop, padLeft, padBottom, padRight);
        var conv = new Conv2d(inC, outC, geometry, groups, bias == 1);
        TestData.Random(conv.Weight.Value.Length, 1).CopyTo(conv.Weight.Value, 0);
        conv.Bias?.Value.AsSpan().Fill(0.25f);
        Tensor x = Make(new Shape(inC, height, width), TestData.Random(batch * inC * height * width, 2));
        var y = new Tensor(conv.OutputShape([x.Shape]));
        y.Resize(batch);

        conv.Forward([x], y, training: false);

        float[] expected = DirectConvolution(x, conv, y.Shape);
        TestData.AssertClose(expected, y.Span, 1e-4f);
    }

    [Fact]
    public void Conv2dForward_Depthwise_EqualsGroupedGemmPath()
    {
        // The depthwise kernel (groups = C) against the same conv computed channel by channel with groups = 1.
        var geometry = new ConvGeometry(3, 3, 1, 1, 1, 0, 1, 2);
        var depthwise = new Conv2d(3, 3, geometry, groups: 3);
        TestData.Random(depthwise.Weight.Value.Length, 1).CopyTo(depthwise.Weight.Value, 0);
        TestData.Random(3, 2).CopyTo(depthwise.Bias!.Value, 0);
        Tensor x = Make(new Shape(3, 9, 8), TestData.Random(3 * 9 * 8, 3));
        var y = new Tensor(depthwise.OutputShape([x.Shape]));
        y.Resize(1);

        depthwise.Forward([x], y, training: false);

        for (int c = 0; c < 3; c++)
        {
            var single = new Conv2d(1, 1, geometry);
            depthwise.Weight.Value.AsSpan(c * 9, 9).CopyTo(single.Weight.Value);
            single.Bias!.Value[0] = depthwise.Bias.Value[c];
            Tensor xc = Make(new Shape(1, 9, 8), x.Span.Slice(c * 72, 72).ToArray());
            var yc = new Tensor(single.OutputShape([xc.Shape]));
            yc.Resize(1);
            single.Forward([xc], yc, training: false);
            TestData.AssertClose(yc.Span, y.Span.Slice(c * yc.Shape.Size, yc.Shape.Size), 1e-5f, $"channel {c}");
        }
    }

    [Fact]
    public void MaxPool2dForward_TwoByTwoOddInput_EqualsMaxOfEachWindow()
    {
        // Values on a coarse grid so windows hold ties; the 9th row is left over (floor mode).
        Tensor x = Make(new Shape(3, 9, 8), TestData.Random(2 * 3 * 72, 5).Select(v => MathF.Round(v * 4) / 4).ToArray());
        var pool = new MaxPool2d(new ConvGeometry(2, 2, 2, 2, 0, 0, 0, 0));
        var y = new Tensor(pool.OutputShape([x.Shape]));
        y.Resize(2);

        pool.Forward([x], y, training: true);

        Assert.Equal(new Shape(3, 4, 4), y.Shape);
        for (int n = 0; n < 2; n++)
        {
            for (int c = 0; c < 3; c++)
            {
                for (int p = 0; p < 4; p++)
                {
                    for (int q = 0; q < 4; q++)
                    {
                        ReadOnlySpan<float> image = x.Sample(n);
                        int at = (c * 9 + 2 * p) * 8 + 2 * q;
                        float expected = Math.Max(Math.Max(image[at], image[at + 1]), Math.Max(image[at + 8], image[at + 9]));
                        Assert.Equal(expected, y.Sample(n)[(c * 4 + p) * 4 + q]);
                    }
                }
            }
        }
    }

    [Fact]
    public void MaxPool2dForward_SamePaddingWindow_IgnoresPadding()
    {
        var pool = new MaxPool2d(new ConvGeometry(3, 3, 2, 2, 0, 0, 1, 1));
        Tensor x = Make(new Shape(1, 2, 2), [-4, -3, -2, -1]);
        var y = new Tensor(pool.OutputShape([x.Shape]));
        y.Resize(1);

        pool.Forward([x], y, training: false);

        Assert.Equal([-1f], y.Span.ToArray());
    }

    [Fact]
    public void BatchNorm2dForward_Inference_UsesRunningStatistics()
    {
        var bn = new BatchNorm2d(1);
        bn.RunningMean[0] = 2f;
        bn.RunningVar[0] = 4f - 1e-5f;
        bn.Gamma.Value[0] = 3f;
        bn.Beta.Value[0] = 1f;
        Tensor x = Make(new Shape(1, 1, 2), [2f, 4f]);
        var y = new Tensor(x.Shape);
        y.Resize(1);

        bn.Forward([x], y, training: false);

        TestData.AssertClose([1f, 4f], y.Span, 1e-5f);
    }

    /// <summary>y[n, o, p, q] = b[o] + sum over c, i, j of W[o, c, i, j] x[n, g*icg + c, p*s - padTop + i, q*s - padLeft + j].</summary>
    private static float[] DirectConvolution(Tensor x, Conv2d conv, Shape output)
    {
        ConvGeometry g = conv.Geometry;
        int icg = conv.InChannels / conv.Groups, ocg = conv.OutChannels / conv.Groups, h = x.Shape.Height, w = x.Shape.Width;
        float[] y = new float[x.Batch * output.Size];
        for (int n = 0; n < x.Batch; n++)
        {
            for (int o = 0; o < conv.OutChannels; o++)
            {
                for (int p = 0; p < output.Height; p++)
                {
                    for (int q = 0; q < output.Width; q++)
                    {
                        double sum = conv.Bias?.Value[o] ?? 0f;
                        for (int c = 0; c < icg; c++)
                        {
                            for (int i = 0; i < g.KernelHeight; i++)
                            {
                                for (int j = 0; j < g.KernelWidth; j++)
                                {
                                    int ih = p * g.StrideHeight - g.PadTop + i, iw = q * g.StrideWidth - g.PadLeft + j;
                                    if (ih >= 0 && ih < h && iw >= 0 && iw < w)
                                    {
                                        int channel = o / ocg * icg + c;
                                        sum += conv.Weight.Value[((o * icg + c) * g.KernelHeight + i) * g.KernelWidth + j] * x.Sample(n)[(channel * h + ih) * w + iw];
                                    }
                                }
                            }
                        }

                        y[((n * conv.OutChannels + o) * output.Height + p) * output.Width + q] = (float)sum;
                    }
                }
            }
        }

        return y;
    }

    private static Tensor Make(Shape shape, float[] values)
    {
        var t = new Tensor(shape);
        t.Resize(values.Length / shape.Size);
        values.CopyTo(t.Span);
        return t;
    }
}
