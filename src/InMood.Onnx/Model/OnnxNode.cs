namespace InMood.Onnx.Model;

/// <summary>
/// One operator application (ONNX <c>NodeProto</c>): <see cref="OpType"/> reads
/// <see cref="Inputs"/> and writes <see cref="Outputs"/> (value names; an empty input name
/// means an omitted optional input).
/// </summary>
public sealed class OnnxNode
{
    public OnnxNode(string opType, IEnumerable<string> inputs, IEnumerable<string> outputs, string name = "")
    {
        OpType = opType;
        Inputs = [.. inputs];
        Outputs = [.. outputs];
        Name = name;
    }

    public string OpType { get; }

    public string Name { get; }

    /// <summary>Operator set domain; "" (or "ai.onnx") is the standard one, the only one read.</summary>
    public string Domain { get; init; } = "";

    public List<string> Inputs { get; }

    public List<string> Outputs { get; }

    public List<OnnxAttribute> Attributes { get; init; } = [];

    /// <summary>A readable label for messages: <c>'name' (OpType)</c>.</summary>
    public string Label => Name.Length > 0 ? $"'{Name}' ({OpType})" : $"({OpType})";

    /// <summary>The attribute called <paramref name="name"/>, or null.</summary>
    public OnnxAttribute? FindAttribute(string name)
    {
        foreach (OnnxAttribute attribute in Attributes)
        {
            if (attribute.Name == name)
            {
                return attribute;
            }
        }

        return null;
    }

    /// <summary>An Int attribute's value, or <paramref name="fallback"/> when absent.</summary>
    public long GetInt(string name, long fallback) => Get(name, OnnxAttributeType.Int)?.Int ?? fallback;

    /// <summary>A Float attribute's value, or <paramref name="fallback"/> when absent.</summary>
    public float GetFloat(string name, float fallback) => Get(name, OnnxAttributeType.Float)?.Float ?? fallback;

    /// <summary>A String attribute's value, or <paramref name="fallback"/> when absent.</summary>
    public string GetString(string name, string fallback) => Get(name, OnnxAttributeType.String)?.String ?? fallback;

    /// <summary>An Ints attribute's values, or null when absent.</summary>
    public long[]? GetInts(string name) => Get(name, OnnxAttributeType.Ints)?.Ints;

    /// <summary>A Tensor attribute's value, or null when absent.</summary>
    public OnnxTensor? GetTensor(string name) => Get(name, OnnxAttributeType.Tensor)?.Tensor;

    private OnnxAttribute? Get(string name, OnnxAttributeType type)
    {
        OnnxAttribute? attribute = FindAttribute(name);
        if (attribute is not null && attribute.Type != type)
        {
            throw new InvalidDataException($"Node {Label}: attribute '{name}' is {attribute.Type}; expected {type}.");
        }

        return attribute;
    }
}
