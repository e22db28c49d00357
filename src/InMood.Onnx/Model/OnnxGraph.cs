namespace InMood.Onnx.Model;

/// <summary>
/// A computation graph (ONNX <c>GraphProto</c>): nodes (topologically sorted in valid files),
/// constant initializers, and the declared inputs, outputs and intermediate values.
/// </summary>
public sealed class OnnxGraph
{
    public string Name { get; init; } = "";

    public List<OnnxNode> Nodes { get; init; } = [];

    public List<OnnxTensor> Initializers { get; init; } = [];

    public List<OnnxValueInfo> Inputs { get; init; } = [];

    public List<OnnxValueInfo> Outputs { get; init; } = [];

    public List<OnnxValueInfo> ValueInfos { get; init; } = [];
}
