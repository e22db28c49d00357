using InMood.Onnx.Model;

namespace InMood.Onnx.Tests.Execution;

/// <summary>One single-node graph for the op-by-op comparison: random float feeds of the given shapes, constant initializers.</summary>
internal sealed record OpCase(string Name, OnnxNode Node, (string Name, int[] Shape)[] Feeds, OnnxTensor[] Initializers, long Opset = 13)
{
    /// <summary>The node wrapped in a model whose only output is the node's output "y".</summary>
    public OnnxModel ToModel() => new()
    {
        OpsetImports = [new OnnxOpsetImport("", Opset)],
        Graph = new OnnxGraph
        {
            Name = Name,
            Nodes = [Node],
            Initializers = [.. Initializers],
            Inputs = [.. Feeds.Select(f => OnnxValueInfo.Tensor(f.Name, OnnxDataType.Float, [.. f.Shape.Select(d => (long)d)]))],
            Outputs = [new OnnxValueInfo("y", OnnxDataType.Float, null)],
        },
    };

    public override string ToString() => Name;
}
