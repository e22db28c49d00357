using InMood.Onnx.Model;

namespace InMood.Onnx.Tests;

/// <summary>The shared reference models (see shared/models/README.md) load with the expected contents.</summary>
public sealed class ReferenceModelTests
{
    [ReferenceModelFact]
    public void ReadFile_BigXception_HasExpectedOpsAndParameters()
    {
        OnnxModel model = OnnxReader.ReadFile(TestPaths.BigXception);

        Assert.Equal(13, model.Opset);
        // NOTE: shared/models/README.md says 205,129; the file's 22 initializers hold 205,127
        // (recounted by hand from their dims: 16,128 + 7 in the last conv, and so on).
        Assert.Equal(205_127, Parameters(model.Graph));
        Assert.All(model.Graph.Initializers, t => Assert.Equal(OnnxDataType.Float, t.DataType));
        Assert.Equal(
            ["Add", "Conv", "Flatten", "GlobalAveragePool", "MaxPool", "Relu", "Softmax", "Transpose"],
            OpTypes(model.Graph));
        Assert.Equal("input_1", Assert.Single(model.Graph.Inputs, v => !IsInitializer(model.Graph, v.Name)).Name);
        Assert.Equal("emotion", Assert.Single(model.Graph.Outputs).Name);
    }

    [ReferenceModelFact]
    public void ReadFile_BlazeFaceBack_HasExpectedOpsAndParameters()
    {
        OnnxModel model = OnnxReader.ReadFile(TestPaths.BlazeFaceBack);

        Assert.Equal(12, model.Opset);
        Assert.Equal(134_740, Parameters(model.Graph));
        Assert.Equal(36, model.Graph.Initializers.Where(t => t.DataType == OnnxDataType.Int64).Sum(t => t.ElementCount));
        Assert.Equal(
            ["Add", "Concat", "ConstantOfShape", "Conv", "MaxPool", "Relu", "Reshape", "Transpose"],
            OpTypes(model.Graph));
        Assert.Equal(["Identity:0", "Identity_1:0", "Identity_2:0", "Identity_3:0"], model.Graph.Outputs.Select(v => v.Name));
    }

    [ReferenceModelFact]
    public void ReadFile_BlazeFaceFront_HasExpectedParameters()
    {
        OnnxModel model = OnnxReader.ReadFile(TestPaths.BlazeFaceFront);

        Assert.Equal(12, model.Opset);
        Assert.Equal(100_472, Parameters(model.Graph));
    }

    /// <summary>All initializer elements, as the README counts them (BlazeFace's include 36 int64 shape values).</summary>
    private static long Parameters(OnnxGraph graph) => graph.Initializers.Sum(t => t.ElementCount);

    private static string[] OpTypes(OnnxGraph graph) => [.. graph.Nodes.Select(n => n.OpType).Distinct().Order(StringComparer.Ordinal)];

    private static bool IsInitializer(OnnxGraph graph, string name) => graph.Initializers.Any(t => t.Name == name);
}
