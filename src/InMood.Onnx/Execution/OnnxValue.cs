using InMood.Onnx.Model;

namespace InMood.Onnx.Execution;

/// <summary>
/// A dense row-major tensor flowing through <see cref="OnnxExecutor"/>: float data, or int64 data
/// for shape tensors (Int32 initializers are widened to int64). Shape [d0, d1, ...]; a scalar has rank 0.
/// </summary>
public sealed class OnnxValue
{
    private OnnxValue(int[] shape, float[]? floats, long[]? int64s)
    {
        Shape = shape;
        Floats = floats;
        Int64s = int64s;
    }

    public int[] Shape { get; }

    /// <summary>Elements of a float tensor, else null.</summary>
    public float[]? Floats { get; }

    /// <summary>Elements of an int64 tensor, else null.</summary>
    public long[]? Int64s { get; }

    public bool IsFloat => Floats is not null;

    public int Length => Floats?.Length ?? Int64s!.Length;

    /// <summary>A float tensor of shape <paramref name="shape"/> over <paramref name="data"/> (not copied).</summary>
    public static OnnxValue FromFloats(int[] shape, float[] data)
    {
        CheckLength(shape, data.Length);
        return new OnnxValue(shape, data, null);
    }

    /// <summary>An int64 tensor of shape <paramref name="shape"/> over <paramref name="data"/> (not copied).</summary>
    public static OnnxValue FromInt64s(int[] shape, long[] data)
    {
        CheckLength(shape, data.Length);
        return new OnnxValue(shape, null, data);
    }

    /// <summary>Wraps an initializer or attribute tensor.</summary>
    public static OnnxValue FromTensor(OnnxTensor tensor)
    {
        int[] shape = [.. tensor.Dims.Select(d => checked((int)d))];
        return tensor.DataType switch
        {
            OnnxDataType.Float => FromFloats(shape, tensor.FloatData!),
            OnnxDataType.Int32 => FromInt64s(shape, [.. tensor.Int32Data!.Select(v => (long)v)]),
            _ => FromInt64s(shape, tensor.Int64Data!),
        };
    }

    /// <summary>Number of elements of a shape: the product of its dims (1 for rank 0).</summary>
    public static int SizeOf(ReadOnlySpan<int> shape)
    {
        int size = 1;
        foreach (int dim in shape)
        {
            size = checked(size * dim);
        }

        return size;
    }

    public override string ToString() => $"{(IsFloat ? "float" : "int64")}[{string.Join(", ", Shape)}]";

    private static void CheckLength(int[] shape, int length)
    {
        if (SizeOf(shape) != length)
        {
            throw new ArgumentException($"Shape [{string.Join(", ", shape)}] holds {SizeOf(shape)} elements but {length} were given.", nameof(shape));
        }
    }
}
