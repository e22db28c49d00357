namespace InMood.Onnx.Model;

/// <summary>
/// A named node attribute (ONNX <c>AttributeProto</c>). <see cref="Type"/> says which value
/// property holds the value; the others keep their defaults.
/// </summary>
public sealed class OnnxAttribute
{
    public OnnxAttribute(string name, OnnxAttributeType type)
    {
        Name = name;
        Type = type;
    }

    public string Name { get; }

    public OnnxAttributeType Type { get; }

    /// <summary>Value of a Float attribute.</summary>
    public float Float { get; init; }

    /// <summary>Value of an Int attribute.</summary>
    public long Int { get; init; }

    /// <summary>Value of a String attribute (ONNX stores UTF-8 bytes).</summary>
    public string String { get; init; } = "";

    /// <summary>Value of a Tensor attribute.</summary>
    public OnnxTensor? Tensor { get; init; }

    /// <summary>Value of a Floats attribute.</summary>
    public float[] Floats { get; init; } = [];

    /// <summary>Value of an Ints attribute.</summary>
    public long[] Ints { get; init; } = [];

    /// <summary>Value of a Strings attribute.</summary>
    public string[] Strings { get; init; } = [];

    public static OnnxAttribute FromFloat(string name, float value) => new(name, OnnxAttributeType.Float) { Float = value };

    public static OnnxAttribute FromInt(string name, long value) => new(name, OnnxAttributeType.Int) { Int = value };

    public static OnnxAttribute FromString(string name, string value) => new(name, OnnxAttributeType.String) { String = value };

    public static OnnxAttribute FromTensor(string name, OnnxTensor value) => new(name, OnnxAttributeType.Tensor) { Tensor = value };

    public static OnnxAttribute FromFloats(string name, params float[] values) => new(name, OnnxAttributeType.Floats) { Floats = values };

    public static OnnxAttribute FromInts(string name, params long[] values) => new(name, OnnxAttributeType.Ints) { Ints = values };

    public static OnnxAttribute FromStrings(string name, params string[] values) => new(name, OnnxAttributeType.Strings) { Strings = values };
}
