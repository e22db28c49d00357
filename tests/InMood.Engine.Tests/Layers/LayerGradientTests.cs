using InMood.Engine.Layers;
using InMood.Engine.Tensors;

namespace InMood.Engine.Tests.Layers;

public class LayerGradientTests
{
    public static TheoryData<int, int, int, int, int, int, int, int, int, int> ConvCases() => new()
    {
        // inC, outC, kH, kW, stride, padTop, padLeft, padBottom, padRight, groups
        { 3, 4, 3, 3, 1, 1, 1, 1, 1, 1 },
        { 2, 3, 5, 5, 2, 1, 2, 2, 1, 1 },
        { 4, 6, 3, 3, 2, 0, 1, 1, 0, 2 },
        { 4, 4, 3, 3, 1, 1, 1, 1, 1, 4 },
        { 4, 4, 3, 3, 2, 0, 0, 1, 1, 4 },
        { 6, 5, 1, 1, 1, 0, 0, 0, 0, 1 },
        { 3, 2, 1, 3, 1, 0, 1, 0, 1, 1 },
        // stride 1, asymmetric pads up to the kernel size - 1, grouped: dx runs as the flipped-kernel forward conv
        { 4, 6, 3, 2, 1, 2, 0, 0, 1, 2 },
        // stride 1 with a pad as large as the kernel: dx keeps the GEMM + col2im path
        { 2, 3, 1, 1, 1, 1, 0, 1, 1, 1 },
    };

    [Theory]
    [MemberData(nameof(ConvCases))]
    public void Conv2dBackward_GroupsStridesAsymmetricPads_MatchesFiniteDifferences(int inC, int outC, int kh, int kw, int stride, int pt, int pl, int pb, int pr, int groups)
    {
        var layer = new Conv2d(inC, outC, new ConvGeometry(kh, kw, stride, stride, pt, pl, pb, pr), groups);

        GradientCheck.Run(layer, [new Shape(inC, 7, 6)], batch: 2);
    }

    [Theory]
    [InlineData(3, 4, 3, 1, 1)]
    [InlineData(4, 3, 1, 1, 0)]
    [InlineData(2, 5, 3, 2, 1)]
    public void Conv2dBackward_SeveralImagesPerGemm_MatchesFiniteDifferences(int inC, int outC, int kernel, int stride, int pad)
    {
        // Batch 9 of 5x5 planes: the layer batches several images side by side into one GEMM.
        var layer = new Conv2d(inC, outC, new ConvGeometry(kernel, kernel, stride, stride, pad, pad, pad, pad));

        GradientCheck.Run(layer, [new Shape(inC, 5, 5)], batch: 9);
    }

    [Theory]
    [InlineData(64, 64, 6)]
    [InlineData(64, 72, 12)]
    [InlineData(65, 64, 7)]
    public void Conv2dBackward_SmallMapManyChannels_MatchesFiniteDifferences(int inC, int outC, int size)
    {
        // Forward, the input gradient's flipped-kernel conv (64 output channels) and the weight gradient all run in
        // channel tiles; 72 channels make the last panel overlap the first, 65 x 9 im2col rows the last row block.
        var layer = new Conv2d(inC, outC, new ConvGeometry(3, 3, 1, 1, 1, 1, 1, 1));

        GradientCheck.Run(layer, [new Shape(inC, size, size)], batch: 2);
    }

    /// <summary>Every element of dW and db against their definition on FerVgg's s3c1 and s4c1 shapes (the sampled finite differences above see 300 of them).</summary>
    [Theory]
    [InlineData(64, 128, 12, 5)]
    [InlineData(128, 256, 6, 3)]
    public void Conv2dBackward_FerVggSmallMaps_EveryWeightGradientEqualsDefinition(int inC, int outC, int size, int batch)
    {
        // Arrange
        var layer = new Conv2d(inC, outC, new ConvGeometry(3, 3, 1, 1, 1, 1, 1, 1));
        var x = new Tensor(new Shape(inC, size, size));
        x.Resize(batch);
        TestData.Random(x.Span.Length, 1).CopyTo(x.Span);
        var y = new Tensor(layer.OutputShape([x.Shape]));
        y.Resize(batch);
        var dy = new Tensor(y.Shape);
        dy.Resize(batch);
        TestData.Random(dy.Span.Length, 2).CopyTo(dy.Span);
        var dx = new Tensor(x.Shape);
        dx.Resize(batch);
        TestData.Random(layer.Weight.Value.Length, 3, 0.1f).CopyTo(layer.Weight.Value, 0);

        // Act
        layer.Forward([x], y, training: true);
        layer.Backward([x], y, dy, [dx]);

        // Assert
        int plane = size * size;
        float[] expectedWeight = new float[layer.Weight.Value.Length], expectedBias = new float[outC];
        for (int o = 0; o < outC; o++)
        {
            double bias = 0;
            for (int n = 0; n < batch; n++)
            {
                for (int q = 0; q < plane; q++)
                {
                    bias += dy.Sample(n)[o * plane + q];
                }
            }

            expectedBias[o] = (float)bias;
            for (int c = 0; c < inC; c++)
            {
                for (int i = 0; i < 3; i++)
                {
                    for (int j = 0; j < 3; j++)
                    {
                        double sum = 0;
                        for (int n = 0; n < batch; n++)
                        {
                            ReadOnlySpan<float> xn = x.Sample(n), dyn = dy.Sample(n);
                            for (int p = 0; p < size; p++)
                            {
                                int ih = p - 1 + i;
                                for (int q = 0; q < size && ih >= 0 && ih < size; q++)
                                {
                                    int iw = q - 1 + j;
                                    if (iw >= 0 && iw < size)
                                    {
                                        sum += (double)dyn[o * plane + p * size + q] * xn[(c * size + ih) * size + iw];
                                    }
                                }
                            }
                        }

                        expectedWeight[((o * inC + c) * 3 + i) * 3 + j] = (float)sum;
                    }
                }
            }
        }

        TestData.AssertClose(expectedWeight, layer.Weight.Grad, 1e-4f, "dW");
        TestData.AssertClose(expectedBias, layer.Bias!.Grad, 1e-4f, "db");
    }

    [Fact]
    public void Conv2dBackward_NoBias_MatchesFiniteDifferences()
    {
        var layer = new Conv2d(3, 4, new ConvGeometry(3, 3, 1, 1, 1, 1, 1, 1), bias: false);

        GradientCheck.Run(layer, [new Shape(3, 5, 5)], batch: 3);
    }

    [Fact]
    public void BatchNorm2dBackward_Training_MatchesFiniteDifferences()
    {
        var layer = new BatchNorm2d(3);

        GradientCheck.Run(layer, [new Shape(3, 4, 5)], batch: 4);
    }

    [Fact]
    public void BatchNorm2dBackward_FusedRelu_EqualsBatchNormThenRelu()
    {
        // NOTE: compared with the two layers it fuses (each checked against finite differences above), since
        // finite differences across the ReLU's kink are unreliable when every input moves every output.
        var shape = new Shape(3, 4, 5);
        var fused = new BatchNorm2d(3) { FusedRelu = true };
        var plain = new BatchNorm2d(3);
        var relu = new Relu();
        foreach (BatchNorm2d bn in (BatchNorm2d[])[fused, plain])
        {
            TestData.Random(3, 5, 0.5f).CopyTo(bn.Gamma.Value, 0);
            TestData.Random(3, 6, 0.5f).CopyTo(bn.Beta.Value, 0);
        }

        Tensor x = Batch(shape, 4, TestData.Random(4 * shape.Size, 1));
        Tensor dy = Batch(shape, 4, TestData.Random(4 * shape.Size, 2));
        Tensor y = Batch(shape, 4, []), dx = Batch(shape, 4, []);
        Tensor normalized = Batch(shape, 4, []), activated = Batch(shape, 4, []);
        Tensor dNormalized = Batch(shape, 4, []), expectedDx = Batch(shape, 4, []);

        fused.Forward([x], y, training: true);
        fused.Backward([x], y, Batch(shape, 4, dy.Span.ToArray()), [dx]);
        plain.Forward([x], normalized, training: true);
        relu.Forward([normalized], activated, training: true);
        relu.Backward([normalized], activated, dy, [dNormalized]);
        plain.Backward([x], normalized, dNormalized, [expectedDx]);

        TestData.AssertClose(activated.Span, y.Span, 1e-6f, "y");
        TestData.AssertClose(expectedDx.Span, dx.Span, 1e-5f, "dx");
        TestData.AssertClose(plain.Gamma.Grad, fused.Gamma.Grad, 1e-5f, "dgamma");
        TestData.AssertClose(plain.Beta.Grad, fused.Beta.Grad, 1e-5f, "dbeta");
    }

    private static Tensor Batch(Shape shape, int batch, float[] values)
    {
        var tensor = new Tensor(shape);
        tensor.Resize(batch);
        values.CopyTo(tensor.Span);
        return tensor;
    }

    [Fact]
    public void ReluBackward_MatchesFiniteDifferences() => GradientCheck.Run(new Relu(), [new Shape(2, 3, 4)], batch: 2);

    [Fact]
    public void MaxPool2dBackward_PaddedStridedWindow_MatchesFiniteDifferences()
        => GradientCheck.Run(new MaxPool2d(new ConvGeometry(3, 3, 2, 2, 1, 0, 1, 1)), [new Shape(2, 7, 6)], batch: 2, step: 1e-3f);

    [Fact]
    public void MaxPool2dBackward_TwoByTwoStrideTwoOddInput_MatchesFiniteDifferences()
        => GradientCheck.Run(new MaxPool2d(new ConvGeometry(2, 2, 2, 2, 0, 0, 0, 0)), [new Shape(3, 7, 6)], batch: 2, step: 1e-3f);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AvgPool2dBackward_Padded_MatchesFiniteDifferences(bool countPadding)
        => GradientCheck.Run(new AvgPool2d(new ConvGeometry(3, 2, 2, 1, 1, 0, 1, 1), countPadding), [new Shape(2, 7, 6)], batch: 2);

    [Fact]
    public void GlobalAvgPool2dBackward_MatchesFiniteDifferences() => GradientCheck.Run(new GlobalAvgPool2d(), [new Shape(3, 4, 5)], batch: 2);

    [Fact]
    public void DenseBackward_MatchesFiniteDifferences() => GradientCheck.Run(new Dense(12, 5), [new Shape(3, 2, 2)], batch: 3);

    [Fact]
    public void DropoutBackward_FixedMask_MatchesFiniteDifferences()
    {
        var layer = new Dropout(0.5f, seed: 7);

        GradientCheck.Run(layer, [new Shape(4, 3, 3)], batch: 2, beforeForward: () => layer.Step = 0);
    }

    [Fact]
    public void FlattenBackward_MatchesFiniteDifferences() => GradientCheck.Run(new Flatten(), [new Shape(2, 3, 2)], batch: 2);

    [Fact]
    public void AddBackward_MatchesFiniteDifferences() => GradientCheck.Run(new Add(), [new Shape(2, 3, 3), new Shape(2, 3, 3)], batch: 2);

    [Fact]
    public void ConcatBackward_MatchesFiniteDifferences() => GradientCheck.Run(new Concat(3), [new Shape(2, 3, 3), new Shape(1, 3, 3), new Shape(3, 3, 3)], batch: 2);

    [Fact]
    public void SoftmaxBackward_MatchesFiniteDifferences() => GradientCheck.Run(new Softmax(), [new Shape(7, 1, 1)], batch: 3, step: 1e-2f);
}
