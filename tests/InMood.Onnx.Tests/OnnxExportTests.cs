using InMood.Engine.Layers;
using InMood.Engine.Networks;
using InMood.Engine.Tensors;
using InMood.Onnx.Model;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InMood.Onnx.Tests;

public sealed class OnnxExportTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void FromNetwork_FoldedFerVgg_OnnxRuntimeMatchesEngine(int batch)
    {
        Network folded = TrainedFerVgg().FoldForInference();
        byte[] bytes = OnnxWriter.Write(OnnxExport.FromNetwork(folded));
        float[] x = TestGraphs.Random(batch * 48 * 48, seed: 11);
        float[] expected = folded.Forward(x, batch, training: false).Span.ToArray();
        using var session = new InferenceSession(bytes);

        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> outputs = session.Run(
            [NamedOnnxValue.CreateFromTensor(OnnxExport.InputName, new DenseTensor<float>(x, [batch, 1, 48, 48]))]);

        DisposableNamedOnnxValue logits = Assert.Single(outputs);
        Assert.Equal(OnnxExport.OutputName, logits.Name);
        Assert.Equal([batch, 7], logits.AsTensor<float>().Dimensions.ToArray());
        float[] actual = [.. logits.AsTensor<float>()];
        double worst = expected.Zip(actual, (e, a) => (double)Math.Abs(e - a)).Max();
        Assert.True(worst <= 1e-4, $"max abs diff {worst:E2}");
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(3, 1)]
    [InlineData(3, 2)]
    public void FromNetwork_FoldedFerVgg_CompiledPathMatchesEngine(int batch, int workers)
    {
        Network folded = TrainedFerVgg().FoldForInference();
        OnnxModel model = OnnxReader.Read(OnnxWriter.Write(OnnxExport.FromNetwork(folded)));
        float[] x = TestGraphs.Random(batch * 48 * 48, seed: 12);
        float[] expected = folded.Forward(x, batch, training: false).Span.ToArray();
        using var pool = new InMood.Engine.Threading.WorkerPool(workers);
        InMood.Onnx.Compiled.CompiledModel compiled = InMood.Onnx.Compiled.CompiledModel.Compile(model, batch, pool);

        compiled.Run(x);

        Assert.Contains(compiled.Describe(), d => d.StartsWith("Gemm", StringComparison.Ordinal));
        double worst = expected.Zip(compiled.Output(0).ToArray(), (e, a) => (double)Math.Abs(e - a)).Max();
        Assert.True(worst <= 1e-4, $"max abs diff {worst:E2}");
    }

    [Fact]
    public void FromNetwork_FoldedFerVgg_WritesConvReluPoolGemmOnly()
    {
        Network folded = TrainedFerVgg().FoldForInference();

        OnnxModel model = OnnxExport.FromNetwork(folded);

        Assert.Equal(13, model.Opset);
        Assert.Equal(["Conv", "Flatten", "Gemm", "MaxPool", "Relu"], model.Graph.Nodes.Select(n => n.OpType).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(OnnxExport.InputName, Assert.Single(model.Graph.Inputs).Name);
        Assert.Null(Assert.Single(model.Graph.Inputs).Shape![0].Value);
    }

    [Fact]
    public void FromNetwork_ResidualAddConcatGlobalPoolSoftmax_OnnxRuntimeMatchesEngine()
    {
        var builder = new NetworkBuilder(new Shape(3, 8, 8));
        var same3 = new ConvGeometry(3, 3, 1, 1, 1, 1, 1, 1);
        builder.Add("a", new Conv2d(3, 4, same3));
        builder.Add("b", new Conv2d(4, 4, same3, groups: 4), "a");
        builder.Add("sum", new Add(), "a", "b");
        builder.Add("cat", new Concat(2), "sum", "a");
        builder.Add("gap", new GlobalAvgPool2d(), "cat");
        builder.Add("prob", new Softmax(), "gap");
        Network network = builder.Build();
        Initializer.HeNormal(network, seed: 3);
        float[] x = TestGraphs.Random(2 * 3 * 8 * 8, seed: 4);
        float[] expected = network.Forward(x, 2, training: false).Span.ToArray();
        using var session = new InferenceSession(OnnxWriter.Write(OnnxExport.FromNetwork(network)));

        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> outputs = session.Run(
            [NamedOnnxValue.CreateFromTensor(OnnxExport.InputName, new DenseTensor<float>(x, [2, 3, 8, 8]))]);

        float[] actual = [.. Assert.Single(outputs).AsTensor<float>()];
        Assert.Equal(expected.Length, actual.Length);
        Assert.True(expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max() <= 1e-5f);
    }

    /// <summary>FerVgg with He-normal weights and batch-norm statistics from a few training-mode passes.</summary>
    private static Network TrainedFerVgg()
    {
        Network network = StandardNetworks.FerVgg();
        Initializer.HeNormal(network, seed: 1);
        for (int i = 0; i < 3; i++)
        {
            network.Forward(TestGraphs.Random(8 * 48 * 48, seed: 20 + i), 8, training: true);
        }

        return network;
    }
}
