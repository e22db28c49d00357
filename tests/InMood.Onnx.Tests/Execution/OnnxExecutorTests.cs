using InMood.Onnx.Execution;
using InMood.Onnx.Model;

namespace InMood.Onnx.Tests.Execution;

public sealed class OnnxExecutorTests
{
    public static TheoryData<string> OpCaseNames => new(OpCases.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(OpCaseNames))]
    public void Run_SingleNodeGraph_MatchesOnnxRuntime(string caseName)
    {
        OpCase opCase = OpCases.All.Single(c => c.Name == caseName);
        byte[] bytes = OnnxWriter.Write(opCase.ToModel());
        Dictionary<string, OnnxValue> feeds = OnnxRuntimeParity.RandomFeeds(opCase.Feeds, seed: 100);

        double error = OnnxRuntimeParity.MaxRelativeError(bytes, feeds);

        Assert.True(error <= 1e-5, $"{caseName}: max relative error {error:E2}");
    }

    [Fact]
    public void OpCases_CoverEverySupportedOp()
    {
        var covered = OpCases.All.Select(c => c.Node.OpType).ToHashSet();

        string[] missing = [.. OnnxExecutor.SupportedOps.Where(op => !covered.Contains(op))];

        Assert.Empty(missing);
    }

    [ReferenceModelFact]
    public void Run_BigXception_MatchesOnnxRuntime()
    {
        byte[] bytes = File.ReadAllBytes(TestPaths.BigXception);
        Dictionary<string, OnnxValue> feeds = OnnxRuntimeParity.RandomFeeds([("input_1", [1, 64, 64, 1])], seed: 7);

        double error = OnnxRuntimeParity.MaxRelativeError(bytes, feeds);

        Assert.True(error <= 1e-4, $"max relative error {error:E2}");
    }

    [ReferenceModelFact]
    public void Run_BlazeFaceBack_MatchesOnnxRuntime()
    {
        byte[] bytes = File.ReadAllBytes(TestPaths.BlazeFaceBack);
        Dictionary<string, OnnxValue> feeds = OnnxRuntimeParity.RandomFeeds([("input:0", [1, 256, 256, 3])], seed: 8);

        double error = OnnxRuntimeParity.MaxRelativeError(bytes, feeds);

        Assert.True(error <= 1e-4, $"max relative error {error:E2}");
    }

    [ReferenceModelFact]
    public void Run_BlazeFaceFront_MatchesOnnxRuntime()
    {
        byte[] bytes = File.ReadAllBytes(TestPaths.BlazeFaceFront);
        Dictionary<string, OnnxValue> feeds = OnnxRuntimeParity.RandomFeeds([("input:0", [1, 128, 128, 3])], seed: 9);

        double error = OnnxRuntimeParity.MaxRelativeError(bytes, feeds);

        Assert.True(error <= 1e-4, $"max relative error {error:E2}");
    }

    [Fact]
    public void Constructor_UnsupportedOp_ThrowsListingIt()
    {
        var model = new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Nodes = [new OnnxNode("Loop", ["x"], ["y"])],
                Inputs = [OnnxValueInfo.Tensor("x", OnnxDataType.Float, 1)],
                Outputs = [OnnxValueInfo.Tensor("y", OnnxDataType.Float, 1)],
            },
        };

        var exception = Assert.Throws<NotSupportedException>(() => new OnnxExecutor(model));

        Assert.Equal("The model uses ops the executor does not run: Loop.", exception.Message);
    }

    [Fact]
    public void Constructor_NodesOutOfOrder_SortsThemTopologically()
    {
        var model = new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Nodes = [new OnnxNode("Relu", ["a"], ["y"], "second"), new OnnxNode("Sigmoid", ["x"], ["a"], "first")],
                Inputs = [OnnxValueInfo.Tensor("x", OnnxDataType.Float, 2)],
                Outputs = [OnnxValueInfo.Tensor("y", OnnxDataType.Float, 2)],
            },
        };

        var executor = new OnnxExecutor(model);

        Assert.Equal(["first", "second"], executor.Order.Select(n => n.Name));
    }

    [Fact]
    public void Constructor_DanglingInput_ThrowsNamingNodeAndValue()
    {
        var model = new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Nodes = [new OnnxNode("Add", ["x", "missing"], ["y"], "add1")],
                Inputs = [OnnxValueInfo.Tensor("x", OnnxDataType.Float, 2)],
                Outputs = [OnnxValueInfo.Tensor("y", OnnxDataType.Float, 2)],
            },
        };

        var exception = Assert.Throws<InvalidDataException>(() => new OnnxExecutor(model));

        Assert.Equal("Node 'add1' (Add): input 'missing' is never available (no initializer, graph input or node produces it).", exception.Message);
    }

    [Fact]
    public void Run_FeedWithWrongShape_ThrowsNamingDeclaredShape()
    {
        var executor = new OnnxExecutor(OnnxReader.Read(OnnxWriter.Write(TestGraphs.ConvRelu(new float[54], new float[3]))));
        var feeds = new Dictionary<string, OnnxValue> { ["x"] = OnnxValue.FromFloats([1, 2, 4, 4], new float[32]) };

        var exception = Assert.Throws<ArgumentException>(() => executor.Run(feeds));

        Assert.StartsWith("Input 'x' is float[1, 2, 4, 4]; the model declares x: Float[1, 2, 5, 5].", exception.Message);
    }
}
