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
