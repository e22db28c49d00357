namespace InMood.Onnx.Model;

/// <summary>
/// A graph input, output or intermediate value with its declared tensor type (ONNX
/// <c>ValueInfoProto</c> with <c>TypeProto.tensor_type</c>). <see cref="Shape"/> is null when the
/// rank is unknown.
/// </summary>
public sealed class OnnxValueInfo
{
    public OnnxValueInfo(string name, OnnxDataType elementType, IReadOnlyList<OnnxDimension>? shape)
    {
        Name = name;
        ElementType = elementType;
        Shape = shape;
    }

    public string Name { get; }

    public OnnxDataType ElementType { get; }

    public IReadOnlyList<OnnxDimension>? Shape { get; }

    /// <summary>A value with a fully known shape.</summary>
    public static OnnxValueInfo Tensor(string name, OnnxDataType elementType, params long[] dims)
    {
        return new OnnxValueInfo(name, elementType, [.. dims.Select(OnnxDimension.Known)]);
    }

    public override string ToString() => Shape is null ? $"{Name}: {ElementType}[*]" : $"{Name}: {ElementType}[{string.Join(", ", Shape)}]";
}
