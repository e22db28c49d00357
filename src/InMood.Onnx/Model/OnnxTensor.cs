namespace InMood.Onnx.Model;

/// <summary>
/// A dense constant tensor (ONNX <c>TensorProto</c>): an initializer or an attribute value.
/// Data is row-major with shape <see cref="Dims"/>; exactly one of <see cref="FloatData"/>,
/// <see cref="Int32Data"/>, <see cref="Int64Data"/> is set, the one matching <see cref="DataType"/>,
/// and its length equals the product of <see cref="Dims"/> (1 for a scalar, rank 0).
/// </summary>
public sealed class OnnxTensor
{
    private OnnxTensor(string name, OnnxDataType dataType, long[] dims, float[]? floatData, int[]? int32Data, long[]? int64Data)
    {
        Name = name;
        DataType = dataType;
        Dims = dims;
        FloatData = floatData;
        Int32Data = int32Data;
        Int64Data = int64Data;
    }

    /// <summary>The tensor's name; initializers are referenced by it.</summary>
    public string Name { get; }

    /// <summary>Element type: Float, Int32 or Int64.</summary>
    public OnnxDataType DataType { get; }

    /// <summary>Shape, outermost first; empty for a scalar.</summary>
    public long[] Dims { get; }

    /// <summary>Elements when <see cref="DataType"/> is Float, else null.</summary>
    public float[]? FloatData { get; }

    /// <summary>Elements when <see cref="DataType"/> is Int32, else null.</summary>
    public int[]? Int32Data { get; }

    /// <summary>Elements when <see cref="DataType"/> is Int64, else null.</summary>
    public long[]? Int64Data { get; }

    /// <summary>Number of elements: the product of <see cref="Dims"/>.</summary>
    public long ElementCount => FloatData?.Length ?? Int32Data?.Length ?? Int64Data!.Length;

    /// <summary>A float tensor of shape <paramref name="dims"/> holding <paramref name="data"/> (row-major).</summary>
    public static OnnxTensor FromFloats(string name, long[] dims, float[] data)
    {
        CheckCount(name, dims, data.Length);
        return new OnnxTensor(name, OnnxDataType.Float, dims, data, null, null);
    }

    /// <summary>An int32 tensor of shape <paramref name="dims"/> holding <paramref name="data"/> (row-major).</summary>
    public static OnnxTensor FromInt32s(string name, long[] dims, int[] data)
    {
        CheckCount(name, dims, data.Length);
        return new OnnxTensor(name, OnnxDataType.Int32, dims, null, data, null);
    }

    /// <summary>An int64 tensor of shape <paramref name="dims"/> holding <paramref name="data"/> (row-major).</summary>
    public static OnnxTensor FromInt64s(string name, long[] dims, long[] data)
    {
        CheckCount(name, dims, data.Length);
        return new OnnxTensor(name, OnnxDataType.Int64, dims, null, null, data);
    }

    private static void CheckCount(string name, long[] dims, int count)
    {
        ArgumentNullException.ThrowIfNull(name);
        long product = 1;
        foreach (long dim in dims)
        {
            if (dim < 0)
            {
                throw new ArgumentException($"Tensor '{name}': dims [{string.Join(", ", dims)}] contain a negative dimension.", nameof(dims));
            }

            product = checked(product * dim);
        }

        if (product != count)
        {
            throw new ArgumentException($"Tensor '{name}': dims [{string.Join(", ", dims)}] hold {product} elements but {count} were given.", nameof(dims));
        }
    }
}
