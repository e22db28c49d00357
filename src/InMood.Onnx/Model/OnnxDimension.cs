namespace InMood.Onnx.Model;

/// <summary>
/// One dimension of a declared value shape (ONNX <c>TensorShapeProto.Dimension</c>): a known size
/// (<see cref="Value"/>), a symbolic name such as "N" (<see cref="Param"/>), or neither (unknown).
/// </summary>
public readonly record struct OnnxDimension(long? Value, string? Param)
{
    public static OnnxDimension Known(long value) => new(value, null);

    public static OnnxDimension Symbolic(string param) => new(null, param);

    public override string ToString() => Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Param ?? "?";
}
