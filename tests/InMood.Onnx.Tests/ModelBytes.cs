using InMood.Onnx.Protobuf;

namespace InMood.Onnx.Tests;

/// <summary>
/// Builds ONNX messages field by field from the onnx.proto field numbers, so rejection tests can
/// produce bytes that our <see cref="OnnxWriter"/> would never write.
/// </summary>
internal static class ModelBytes
{
    /// <summary>A ModelProto with the given ir_version, standard opset and graph bytes (null leaves a field out).</summary>
    public static byte[] Model(long? irVersion = 8, long? opset = 13, byte[]? graph = null)
    {
        var writer = new ProtoWriter();
        if (irVersion is long ir)
        {
            writer.WriteInt64(1, ir);
        }

        if (graph is not null)
        {
            writer.WriteBytes(7, graph);
        }

        if (opset is long version)
        {
            var import = new ProtoWriter();
            import.WriteInt64(2, version);
            writer.WriteMessage(8, import);
        }

        return writer.ToArray();
    }

    /// <summary>A GraphProto with the given nodes, initializers and one float output "y".</summary>
    public static byte[] Graph(byte[][]? nodes = null, byte[][]? initializers = null, byte[][]? inputs = null)
    {
        var writer = new ProtoWriter();
        foreach (byte[] node in nodes ?? [])
        {
            writer.WriteBytes(1, node);
        }

        foreach (byte[] initializer in initializers ?? [])
        {
            writer.WriteBytes(5, initializer);
        }

        foreach (byte[] input in inputs ?? [])
        {
            writer.WriteBytes(11, input);
        }

        writer.WriteBytes(12, FloatValue("y"));
        return writer.ToArray();
    }

    /// <summary>A ValueInfoProto of a float tensor with unknown shape.</summary>
    public static byte[] FloatValue(string name)
    {
        var tensorType = new ProtoWriter();
        tensorType.WriteInt64(1, 1);
        var type = new ProtoWriter();
        type.WriteMessage(1, tensorType);
        var writer = new ProtoWriter();
        writer.WriteString(1, name);
        writer.WriteMessage(2, type);
        return writer.ToArray();
    }

    /// <summary>A NodeProto x -> y with the given op_type, domain and attribute bytes.</summary>
    public static byte[] Node(string opType = "Relu", string? domain = null, params byte[][] attributes)
    {
        var writer = new ProtoWriter();
        writer.WriteString(1, "x");
        writer.WriteString(2, "y");
        writer.WriteString(3, "n0");
        if (opType.Length > 0)
        {
            writer.WriteString(4, opType);
        }

        foreach (byte[] attribute in attributes)
        {
            writer.WriteBytes(5, attribute);
        }

        if (domain is not null)
        {
            writer.WriteString(7, domain);
        }

        return writer.ToArray();
    }

    /// <summary>An AttributeProto with a name, an int value and the given type code.</summary>
    public static byte[] IntAttribute(string name, long value, long? type = 2)
    {
        var writer = new ProtoWriter();
        writer.WriteString(1, name);
        writer.WriteInt64(3, value);
        if (type is long code)
        {
            writer.WriteInt64(20, code);
        }

        return writer.ToArray();
    }

    /// <summary>A TensorProto with the given dims, data_type and raw_data (null leaves raw_data out).</summary>
    public static byte[] RawTensor(string name, long[] dims, long dataType, byte[]? raw)
    {
        var writer = new ProtoWriter();
        writer.WritePackedInt64(1, dims);
        writer.WriteInt64(2, dataType);
        writer.WriteString(8, name);
        if (raw is not null)
        {
            writer.WriteBytes(9, raw);
        }

        return writer.ToArray();
    }

    /// <summary>A whole model whose only initializer is <paramref name="tensor"/>.</summary>
    public static byte[] ModelWithInitializer(byte[] tensor) => Model(graph: Graph(nodes: [Node()], initializers: [tensor]));
}
