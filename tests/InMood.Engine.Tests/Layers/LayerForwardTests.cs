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

    private static Tensor Make(Shape shape, float[] values)
    {
        var t = new Tensor(shape);
        t.Resize(values.Length / shape.Size);
        values.CopyTo(t.Span);
        return t;
    }
}
