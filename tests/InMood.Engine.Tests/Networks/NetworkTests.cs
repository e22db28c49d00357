using InMood.Engine.Layers;
using InMood.Engine.Losses;
using InMood.Engine.Networks;
using InMood.Engine.Tensors;
using InMood.Engine.Training;

namespace InMood.Engine.Tests.Networks;

public class NetworkTests
{
    [Fact]
    public void Training_SmallNetworkOn16RandomSamples_OverfitsToNearZeroLoss()
    {
        Network network = SmallResidualNetwork();
        Initializer.HeNormal(network, seed: 3);
        const int batch = 16;
        float[] x = TestData.Random(batch * network.InputShape.Size, 5);
        int[] labels = Enumerable.Range(0, batch).Select(i => i % 4).ToArray();
        var loss = new SoftmaxCrossEntropy(4);
        float[] probabilities = new float[batch * 4], grad = new float[batch * 4];
        var optimizer = new AdamW(network.Parameters().ToList(), weightDecay: 0f);
        float first = 0, last = 0;

        for (int step = 0; step < 300; step++)
        {
            network.ZeroGrad();
            Tensor logits = network.Forward(x, batch, training: true);
            last = loss.Compute(logits.Span, labels, probabilities, grad);
            first = step == 0 ? last : first;
            network.Backward(grad);
            optimizer.Step(1e-2f);
        }

        Assert.True(first > 1.0f, $"initial loss {first}");
        Assert.True(last < 0.02f, $"loss after 300 steps {last}");
    }

    [Fact]
    public void NodeTicks_ForwardAndBackward_TimesEveryLayerInBothHalvesAndNotTheInput()
    {
        // Arrange
        Network network = SmallResidualNetwork();
        Initializer.HeNormal(network, seed: 3);
        const int batch = 4;
        float[] x = TestData.Random(batch * network.InputShape.Size, 5);
        float[] outputGrad = TestData.Random(batch * network.OutputShape.Size, 6);
        int nodes = network.Nodes.Count;
        network.NodeTicks = new long[2 * nodes];

        // Act
        Tensor timed = network.Forward(x, batch, training: true);
        float[] timedOutput = timed.Span.ToArray();
        network.Backward(outputGrad);
        long[] ticks = network.NodeTicks;
        network.NodeTicks = null;
        float[] untimedOutput = network.Forward(x, batch, training: true).Span.ToArray();

        // Assert
        Assert.Equal(0, ticks[0]);
        Assert.Equal(0, ticks[nodes]);
        Assert.All(Enumerable.Range(1, nodes - 1), i => Assert.True(ticks[i] > 0 && ticks[nodes + i] > 0, $"node {i} ({network.Nodes[i].Name}): {ticks[i]}, {ticks[nodes + i]} ticks"));
        Assert.Equal(timedOutput, untimedOutput);
        Assert.Equal(network.FlopsPerSample, Enumerable.Range(0, nodes).Sum(network.NodeFlopsPerSample));
        Assert.Equal(0, network.NodeFlopsPerSample(0));
    }

    [Fact]
    public void Forward_ThroughAMiddleNode_GivesThatNodesOutputOfTheFullPassAndLeavesLaterNodesAlone()
    {
        Network network = StandardNetworks.FerVgg(width: 4);
        Initializer.HeNormal(network, seed: 3);
        int middle = network.Nodes.Select((n, i) => (n, i)).First(p => p.n.Name == "s2c2_bn").i;
        float[] x = TestData.Random(3 * 48 * 48, 4);
        float[] expected = network.Forward(x, 3, training: false).Span.ToArray();
        float[] expectedMiddle = network.Nodes[middle].Output.Span.ToArray();
        float[] other = TestData.Random(3 * 48 * 48, 5);

        float[] middleOutput = network.Forward(other, 3, training: false, middle).Span.ToArray();
        float[] last = network.Output.Span.ToArray();
        float[] againMiddle = network.Forward(x, 3, training: false, middle).Span.ToArray();

        Assert.Equal(network.Nodes[middle].Shape.Size * 3, middleOutput.Length);
        Assert.False(middleOutput.AsSpan().SequenceEqual(expectedMiddle));
        Assert.Equal(expected, last);
        Assert.Equal(expectedMiddle, againMiddle);
    }

    [Fact]
    public void FoldForInference_TrainedBatchNorm_GivesSameOutputs()
    {
        Network network = StandardNetworks.FerVgg();
        Initializer.HeNormal(network, seed: 1);
        float[] x = TestData.Random(4 * 48 * 48, 2);
        for (int i = 0; i < 3; i++)
        {
            network.Forward(x, 4, training: true);
        }

        float[] expected = network.Forward(x, 4, training: false).Span.ToArray();

        Network folded = network.FoldForInference();
        float[] actual = folded.Forward(x, 4, training: false).Span.ToArray();

        Assert.DoesNotContain(folded.Nodes, n => n.Layer is BatchNorm2d or Dropout);
        Assert.True(folded.Nodes.Count < network.Nodes.Count);
        TestData.AssertClose(expected, actual, 1e-4f);
    }

    [Fact]
    public void InInferenceForm_TrainingAndFoldedNetworks_FoldsOnlyTheTrainingOne()
    {
        var b = new NetworkBuilder(new Shape(2, 6, 6));
        b.Add("c1", new Conv2d(2, 4, new ConvGeometry(3, 3, 1, 1, 1, 1, 1, 1)));
        b.Add("bn1", new BatchNorm2d(4));
        Network training = b.Build();
        Initializer.HeNormal(training, seed: 3);

        Network folded = training.InInferenceForm();

        Assert.NotSame(training, folded);
        Assert.DoesNotContain(folded.Nodes, n => n.Layer is BatchNorm2d);
        Assert.Same(folded, folded.InInferenceForm());
    }

    [Fact]
    public void FoldForInference_ConvWithFusedReluBeforeBatchNorm_KeepsTheBatchNorm()
    {
        var b = new NetworkBuilder(new Shape(2, 6, 6));
        b.Add("c1", new Conv2d(2, 4, new ConvGeometry(3, 3, 1, 1, 1, 1, 1, 1)) { FusedRelu = true });
        b.Add("bn1", new BatchNorm2d(4) { FusedRelu = true });
        Network network = b.Build();
        Initializer.HeNormal(network, seed: 3);
        float[] x = TestData.Random(3 * 2 * 6 * 6, 4);
        network.Forward(x, 3, training: true);
        float[] expected = network.Forward(x, 3, training: false).Span.ToArray();

        Network folded = network.FoldForInference();
        float[] actual = folded.Forward(x, 3, training: false).Span.ToArray();

        Assert.Contains(folded.Nodes, n => n.Layer is BatchNorm2d { FusedRelu: true });
        TestData.AssertClose(expected, actual, 1e-5f);
    }

    [Fact]
    public void FromSpec_SpecOfNetwork_RebuildsSameArchitecture()
    {
        Network network = SmallResidualNetwork();

        Network rebuilt = Network.FromSpec(network.ToSpec());

        Assert.Equal(network.ToSpec(), rebuilt.ToSpec());
        Assert.Equal(network.ParameterCount, rebuilt.ParameterCount);
    }

    [Theory]
    [InlineData("input 1x8x8\nc = conv2d(input) out=4 kernel=3 stride=1 pad=1 wobble=2", "no setting 'wobble'")]
    [InlineData("input 1x8x8\nc = frobnicate(input)", "unknown layer kind")]
    [InlineData("input 1x100000x100000", "holds more than 268,435,456 values")]
    [InlineData("input 1x8x8\nd = dense(input) out=2000000000", "weight of shape [2000000000, 64] would hold more than 67,108,864 values")]
    [InlineData("input 1x8x8\nc = conv2d(input) out=60000000 kernel=1", "c: its output 60000000x8x8 holds more than 268,435,456 values per sample")]
    [InlineData("input 1x8x8\nd = dense(missing) out=3", "No node named 'missing'")]
    [InlineData("input 1x8x8\nd = dense(input) out=3\ne = dense(input) out=3\nf = add(d,e)\ng = dense(f) out=2\nh = add(g,d)", "input shapes")]
    public void FromSpec_BadSpec_ThrowsNamingTheLine(string spec, string expected)
    {
        FormatException e = Assert.Throws<FormatException>(() => Network.FromSpec(spec));

        Assert.Contains("line", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Builder_MismatchedChannels_ThrowsNamingTheLayer()
    {
        var builder = new NetworkBuilder(new Shape(3, 8, 8));

        ArgumentException e = Assert.Throws<ArgumentException>(() => builder.Add("conv1", new Conv2d(4, 8, new ConvGeometry(3, 3, 1, 1, 1, 1, 1, 1))));

        Assert.Contains("conv1", e.Message);
        Assert.Contains("3 channels", e.Message);
    }

    private static Network SmallResidualNetwork()
    {
        var same = new ConvGeometry(3, 3, 1, 1, 1, 1, 1, 1);
        var b = new NetworkBuilder(new Shape(2, 6, 6));
        b.Add("c1", new Conv2d(2, 4, same));
        b.Add("bn1", new BatchNorm2d(4));
        string r1 = b.Add("r1", new Relu());
        b.Add("c2", new Conv2d(4, 4, same));
        b.Add("sum", new Add(), r1, "c2");
        b.Add("cat", new Concat(2), "sum", r1);
        b.Add("pool", new MaxPool2d(new ConvGeometry(2, 2, 2, 2, 0, 0, 0, 0)));
        b.Add("gap", new GlobalAvgPool2d());
        b.Add("fc", new Dense(8, 4));
        return b.Build();
    }
}
