using System.Runtime.InteropServices;
using InMood.Onnx.Model;
using InMood.Onnx.Protobuf;

namespace InMood.Onnx;

/// <summary>
/// Serialises an <see cref="OnnxModel"/> to ONNX bytes that <see cref="OnnxReader"/> and ONNX
/// Runtime both read. Fields are written in field-number order; tensor data always goes to
/// raw_data (little-endian), which is what exporters emit for weights.
/// </summary>
public static class OnnxWriter
{
    /// <summary>Serialises <paramref name="model"/> to a <c>ModelProto</c>.</summary>
    public static byte[] Write(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var writer = new ProtoWriter();
        writer.WriteInt64(1, model.IrVersion);
        if (model.ProducerName.Length > 0)
        {
            writer.WriteString(2, model.ProducerName);
        }

        writer.WriteMessage(7, WriteGraph(model.Graph));
        foreach (OnnxOpsetImport import in model.OpsetImports)
        {
            var opset = new ProtoWriter();
            if (import.Domain.Length > 0)
            {
                opset.WriteString(1, import.Domain);
            }

            opset.WriteInt64(2, import.Version);
            writer.WriteMessage(8, opset);
        }

        return writer.ToArray();
    }

    /// <summary>Serialises <paramref name="model"/> into the file at <paramref name="path"/>, atomically (temporary file, then rename).</summary>
    public static void WriteFile(OnnxModel model, string path)
    {
        InMood.Engine.Formats.AtomicFile.WriteAllBytes(path, Write(model));
    }

    private static ProtoWriter WriteGraph(OnnxGraph graph)
    {
        var writer = new ProtoWriter();
        foreach (OnnxNode node in graph.Nodes)
        {
            writer.WriteMessage(1, WriteNode(node));
        }

        if (graph.Name.Length > 0)
        {
            writer.WriteString(2, graph.Name);
        }

        foreach (OnnxTensor tensor in graph.Initializers)
        {
            writer.WriteMessage(5, WriteTensor(tensor));
        }

        foreach (OnnxValueInfo value in graph.Inputs)
        {
            writer.WriteMessage(11, WriteValueInfo(value));
        }

        foreach (OnnxValueInfo value in graph.Outputs)
        {
            writer.WriteMessage(12, WriteValueInfo(value));
        }

        foreach (OnnxValueInfo value in graph.ValueInfos)
        {
            writer.WriteMessage(13, WriteValueInfo(value));
        }

        return writer;
    }

    private static ProtoWriter WriteNode(OnnxNode node)
    {
        var writer = new ProtoWriter();
        foreach (string input in node.Inputs)
        {
            writer.WriteString(1, input);
        }

        foreach (string output in node.Outputs)
        {
            writer.WriteString(2, output);
        }

        if (node.Name.Length > 0)
        {
            writer.WriteString(3, node.Name);
        }

        writer.WriteString(4, node.OpType);
        foreach (OnnxAttribute attribute in node.Attributes)
        {
            writer.WriteMessage(5, WriteAttribute(attribute));
        }

        if (node.Domain.Length > 0)
        {
            writer.WriteString(7, node.Domain);
        }

        return writer;
    }

    private static ProtoWriter WriteAttribute(OnnxAttribute attribute)
    {
        var writer = new ProtoWriter();
        writer.WriteString(1, attribute.Name);
        switch (attribute.Type)
        {
            case OnnxAttributeType.Float:
                writer.WriteFloat(2, attribute.Float);
                break;
            case OnnxAttributeType.Int:
                writer.WriteInt64(3, attribute.Int);
                break;
            case OnnxAttributeType.String:
                writer.WriteString(4, attribute.String);
                break;
            case OnnxAttributeType.Tensor:
                OnnxTensor tensor = attribute.Tensor ?? throw new ArgumentException($"Attribute '{attribute.Name}' has type Tensor but no tensor.", nameof(attribute));
                writer.WriteMessage(5, WriteTensor(tensor));
                break;
            case OnnxAttributeType.Floats:
                writer.WritePackedFloat(7, attribute.Floats);
                break;
            case OnnxAttributeType.Ints:
                writer.WritePackedInt64(8, attribute.Ints);
                break;
            case OnnxAttributeType.Strings:
                foreach (string value in attribute.Strings)
                {
                    writer.WriteString(9, value);
                }

                break;
            default:
                throw new ArgumentException($"Attribute '{attribute.Name}' has type {attribute.Type}, which the writer does not support.", nameof(attribute));
        }

        writer.WriteInt64(20, (long)attribute.Type);
        return writer;
    }

    private static ProtoWriter WriteTensor(OnnxTensor tensor)
    {
        var writer = new ProtoWriter();
        writer.WritePackedInt64(1, tensor.Dims);
        writer.WriteInt64(2, (long)tensor.DataType);
        if (tensor.Name.Length > 0)
        {
            writer.WriteString(8, tensor.Name);
        }

        ReadOnlySpan<byte> raw = tensor.DataType switch
        {
            OnnxDataType.Float => MemoryMarshal.AsBytes(tensor.FloatData.AsSpan()),
            OnnxDataType.Int32 => MemoryMarshal.AsBytes(tensor.Int32Data.AsSpan()),
            _ => MemoryMarshal.AsBytes(tensor.Int64Data.AsSpan()),
        };
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Writing ONNX raw_data needs a little-endian host.");
        }

        writer.WriteBytes(9, raw);
        return writer;
    }

    private static ProtoWriter WriteValueInfo(OnnxValueInfo value)
    {
        var tensorType = new ProtoWriter();
        tensorType.WriteInt64(1, (long)value.ElementType);
        if (value.Shape is not null)
        {
            var shape = new ProtoWriter();
            foreach (OnnxDimension dim in value.Shape)
            {
                var dimension = new ProtoWriter();
                if (dim.Value is long known)
                {
                    dimension.WriteInt64(1, known);
                }
                else if (dim.Param is string param)
                {
                    dimension.WriteString(2, param);
                }

                shape.WriteMessage(1, dimension);
            }

            tensorType.WriteMessage(2, shape);
        }

        var type = new ProtoWriter();
        type.WriteMessage(1, tensorType);
        var writer = new ProtoWriter();
        writer.WriteString(1, value.Name);
        writer.WriteMessage(2, type);
        return writer;
    }
}
