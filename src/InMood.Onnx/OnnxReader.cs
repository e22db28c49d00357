using System.Runtime.InteropServices;
using InMood.Engine.Formats;
using InMood.Onnx.Model;
using InMood.Onnx.Protobuf;

namespace InMood.Onnx;

/// <summary>
/// Reads an ONNX model (<c>ModelProto</c>, field numbers from onnx/onnx.proto) into the
/// <see cref="OnnxModel"/> object model. Reading is a pure function of the bytes. Every length
/// is checked against the bytes that remain before it is used, so no allocation is larger than
/// the input; every rejection is an <see cref="InvalidDataException"/> naming the message
/// (e.g. <c>graph.node[12] 'conv1' (Conv).attribute[2]</c>), the field and what was expected.
/// </summary>
public static class OnnxReader
{
    /// <summary>Reads the model file at <paramref name="path"/> (at most <see cref="OnnxLimits.MaxFileBytes"/>).</summary>
    public static OnnxModel ReadFile(string path)
    {
        var file = new FileInfo(path);
        if (file.Exists && file.Length > OnnxLimits.MaxFileBytes)
        {
            throw new InvalidDataException($"{path}: {file.Length} bytes is larger than the {OnnxLimits.MaxFileBytes}-byte limit for ONNX models.");
        }

        byte[] bytes = InputFile.ReadAllBytes(path);
        try
        {
            return Read(bytes);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: not readable as an ONNX model: {e.Message}", e);
        }
    }

    /// <summary>Reads a serialised <c>ModelProto</c>.</summary>
    public static OnnxModel Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > OnnxLimits.MaxFileBytes)
        {
            throw new InvalidDataException($"model: {bytes.Length} bytes is larger than the {OnnxLimits.MaxFileBytes}-byte limit.");
        }

        var reader = new ProtoReader(bytes, "model");
        long irVersion = 0;
        bool hasIrVersion = false;
        var opsets = new List<OnnxOpsetImport>();
        string producer = "";
        OnnxGraph? graph = null;
        while (reader.TryReadTag(out int field, out WireType wire))
        {
            switch (field)
            {
                case 1:
                    reader.Expect("ir_version", field, wire, WireType.Varint);
                    irVersion = reader.ReadInt64();
                    hasIrVersion = true;
                    break;
                case 2:
                    reader.Expect("producer_name", field, wire, WireType.LengthDelimited);
                    producer = reader.ReadString("producer_name");
                    break;
                case 7:
                    reader.Expect("graph", field, wire, WireType.LengthDelimited);
                    if (graph is not null)
                    {
                        throw reader.Fail("graph appears more than once");
                    }

                    graph = ReadGraph(reader.ReadMessage("graph"));
                    break;
                case 8:
                    reader.Expect("opset_import", field, wire, WireType.LengthDelimited);
                    opsets.Add(ReadOpsetImport(reader.ReadMessage($"model.opset_import[{opsets.Count}]")));
                    break;
                default:
                    reader.SkipField(field, wire);
                    break;
            }
        }

        if (!hasIrVersion || irVersion < OnnxLimits.MinIrVersion || irVersion > OnnxLimits.MaxIrVersion)
        {
            string found = hasIrVersion ? irVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) : "missing";
            throw reader.Fail($"ir_version is {found}; expected {OnnxLimits.MinIrVersion} to {OnnxLimits.MaxIrVersion}");
        }

        CheckOpsets(reader, opsets);
        if (graph is null)
        {
            throw reader.Fail("graph is missing");
        }

        return new OnnxModel { IrVersion = irVersion, ProducerName = producer, OpsetImports = opsets, Graph = graph };
    }

    private static void CheckOpsets(ProtoReader reader, List<OnnxOpsetImport> opsets)
    {
        OnnxOpsetImport? standard = null;
        foreach (OnnxOpsetImport import in opsets)
        {
            if (!OnnxLimits.IsStandardDomain(import.Domain))
            {
                continue;
            }

            if (standard is not null)
            {
                throw reader.Fail("opset_import lists the standard ONNX domain more than once");
            }

            standard = import;
        }

        if (standard is null)
        {
            throw reader.Fail("opset_import has no entry for the standard ONNX domain");
        }

        long version = standard.Value.Version;
        if (version < OnnxLimits.MinOpset || version > OnnxLimits.MaxOpset)
        {
            throw reader.Fail($"standard opset {version} is not supported; expected {OnnxLimits.MinOpset} to {OnnxLimits.MaxOpset}");
        }
    }

    private static OnnxOpsetImport ReadOpsetImport(ProtoReader reader)
    {
        string domain = "";
        long version = 0;
        while (reader.TryReadTag(out int field, out WireType wire))
        {
            switch (field)
            {
                case 1:
                    reader.Expect("domain", field, wire, WireType.LengthDelimited);
                    domain = reader.ReadString("domain");
                    break;
                case 2:
                    reader.Expect("version", field, wire, WireType.Varint);
                    version = reader.ReadInt64();
                    break;
                default:
                    reader.SkipField(field, wire);
                    break;
            }
        }

        return new OnnxOpsetImport(domain, version);
    }

    private static OnnxGraph ReadGraph(ProtoReader reader)
    {
        string name = "";
        var nodes = new List<OnnxNode>();
        var initializers = new List<OnnxTensor>();
        var inputs = new List<OnnxValueInfo>();
        var outputs = new List<OnnxValueInfo>();
        var valueInfos = new List<OnnxValueInfo>();
        var initializerNames = new HashSet<string>(StringComparer.Ordinal);
        while (reader.TryReadTag(out int field, out WireType wire))
        {
            switch (field)
            {
                case 1:
                    reader.Expect("node", field, wire, WireType.LengthDelimited);
                    if (nodes.Count == OnnxLimits.MaxNodes)
                    {
                        throw reader.Fail($"more than {OnnxLimits.MaxNodes} nodes");
                    }

                    nodes.Add(ReadNode(reader.ReadMessage($"graph.node[{nodes.Count}]"), nodes.Count));
                    break;
                case 2:
                    reader.Expect("name", field, wire, WireType.LengthDelimited);
                    name = reader.ReadString("name");
                    break;
                case 5:
                    reader.Expect("initializer", field, wire, WireType.LengthDelimited);
                    if (initializers.Count == OnnxLimits.MaxInitializers)
                    {
                        throw reader.Fail($"more than {OnnxLimits.MaxInitializers} initializers");
                    }

                    OnnxTensor tensor = ReadTensor(reader.ReadMessage($"graph.initializer[{initializers.Count}]"));
                    if (tensor.Name.Length == 0)
                    {
                        throw reader.Fail($"initializer[{initializers.Count}] has no name");
                    }

                    if (!initializerNames.Add(tensor.Name))
                    {
                        throw reader.Fail($"initializer '{tensor.Name}' appears more than once");
                    }

                    initializers.Add(tensor);
                    break;
                case 11:
                    reader.Expect("input", field, wire, WireType.LengthDelimited);
                    inputs.Add(ReadValueInfo(reader.ReadMessage($"graph.input[{inputs.Count}]"), requireType: true));
                    break;
                case 12:
                    reader.Expect("output", field, wire, WireType.LengthDelimited);
                    outputs.Add(ReadValueInfo(reader.ReadMessage($"graph.output[{outputs.Count}]"), requireType: true));
                    break;
                case 13:
                    reader.Expect("value_info", field, wire, WireType.LengthDelimited);
                    valueInfos.Add(ReadValueInfo(reader.ReadMessage($"graph.value_info[{valueInfos.Count}]"), requireType: false));
                    break;
                case 15:
                    throw reader.Fail("sparse_initializer is not supported; store initializers densely");
                default:
                    reader.SkipField(field, wire);
                    break;
            }
        }

        if (outputs.Count == 0)
        {
            throw reader.Fail("graph has no outputs");
        }

        return new OnnxGraph
        {
            Name = name,
            Nodes = nodes,
            Initializers = initializers,
            Inputs = inputs,
            Outputs = outputs,
            ValueInfos = valueInfos,
        };
    }

    private static OnnxNode ReadNode(ProtoReader reader, int index)
    {
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attributes = new List<OnnxAttribute>();
        string name = "";
        string opType = "";
        string domain = "";
        while (reader.TryReadTag(out int field, out WireType wire))
        {
            switch (field)
            {
                case 1:
                    reader.Expect("input", field, wire, WireType.LengthDelimited);
                    inputs.Add(reader.ReadString("input"));
                    break;
                case 2:
                    reader.Expect("output", field, wire, WireType.LengthDelimited);
                    outputs.Add(reader.ReadString("output"));
                    break;
                case 3:
                    reader.Expect("name", field, wire, WireType.LengthDelimited);
                    name = reader.ReadString("name");
                    break;
                case 4:
                    reader.Expect("op_type", field, wire, WireType.LengthDelimited);
                    opType = reader.ReadString("op_type");
                    break;
                case 5:
                    reader.Expect("attribute", field, wire, WireType.LengthDelimited);
                    string context = $"graph.node[{index}] '{name}' ({opType}).attribute[{attributes.Count}]";
                    attributes.Add(ReadAttribute(reader.ReadMessage(context)));
                    break;
                case 7:
                    reader.Expect("domain", field, wire, WireType.LengthDelimited);
                    domain = reader.ReadString("domain");
                    break;
                default:
                    reader.SkipField(field, wire);
                    break;
            }
        }

        var node = new OnnxNode(opType, inputs, outputs, name) { Domain = domain, Attributes = attributes };
        if (opType.Length == 0)
        {
            throw reader.Fail($"node '{name}' has no op_type");
        }

        if (!OnnxLimits.IsStandardDomain(domain))
        {
            throw reader.Fail($"node {node.Label} is in domain '{domain}'; only the standard ONNX domain is supported");
        }

        if (outputs.Count == 0)
        {
            throw reader.Fail($"node {node.Label} has no outputs");
        }

        var attributeNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (OnnxAttribute attribute in attributes)
        {
            if (!attributeNames.Add(attribute.Name))
            {
                throw reader.Fail($"node {node.Label} has attribute '{attribute.Name}' more than once");
            }
        }

        return node;
    }

    private static OnnxAttribute ReadAttribute(ProtoReader reader)
    {
        string name = "";
        int type = 0;
        float f = 0;
        long i = 0;
        string s = "";
        OnnxTensor? t = null;
        var floats = new List<float>();
        var ints = new List<long>();
        var strings = new List<string>();
        while (reader.TryReadTag(out int field, out WireType wire))
        {
            switch (field)
            {
                case 1:
                    reader.Expect("name", field, wire, WireType.LengthDelimited);
                    name = reader.ReadString("name");
                    break;
                case 2:
                    reader.Expect("f", field, wire, WireType.Fixed32);
                    f = reader.ReadFloat();
                    break;
                case 3:
                    reader.Expect("i", field, wire, WireType.Varint);
                    i = reader.ReadInt64();
                    break;
                case 4:
                    reader.Expect("s", field, wire, WireType.LengthDelimited);
                    s = reader.ReadString("s");
                    break;
                case 5:
                    reader.Expect("t", field, wire, WireType.LengthDelimited);
                    t = ReadTensor(reader.ReadMessage($"{reader.Context} '{name}'.t"));
                    break;
                case 7:
                    reader.ReadRepeatedFloat("floats", field, wire, floats);
                    break;
                case 8:
                    reader.ReadRepeatedInt64("ints", field, wire, ints);
                    break;
                case 9:
                    reader.Expect("strings", field, wire, WireType.LengthDelimited);
                    strings.Add(reader.ReadString("strings"));
                    break;
                case 20:
                    reader.Expect("type", field, wire, WireType.Varint);
                    type = reader.ReadInt32("type");
                    break;
                default:
                    reader.SkipField(field, wire);
                    break;
            }
        }

        if (name.Length == 0)
        {
            throw reader.Fail("attribute has no name");
        }

        var attributeType = (OnnxAttributeType)type;
        switch (attributeType)
        {
            case OnnxAttributeType.Float:
                return OnnxAttribute.FromFloat(name, f);
            case OnnxAttributeType.Int:
                return OnnxAttribute.FromInt(name, i);
            case OnnxAttributeType.String:
                return OnnxAttribute.FromString(name, s);
            case OnnxAttributeType.Tensor:
                if (t is null)
                {
                    throw reader.Fail($"attribute '{name}' has type TENSOR but no tensor (field t)");
                }

                return OnnxAttribute.FromTensor(name, t);
            case OnnxAttributeType.Floats:
                return OnnxAttribute.FromFloats(name, [.. floats]);
            case OnnxAttributeType.Ints:
                return OnnxAttribute.FromInts(name, [.. ints]);
            case OnnxAttributeType.Strings:
                return OnnxAttribute.FromStrings(name, [.. strings]);
            case OnnxAttributeType.Undefined:
                throw reader.Fail($"attribute '{name}' has no type (field 20); it is required since IR version 2");
            default:
                string typeName = Enum.IsDefined(attributeType) ? attributeType.ToString().ToUpperInvariant() : type.ToString(System.Globalization.CultureInfo.InvariantCulture);
                throw reader.Fail($"attribute '{name}' has type {typeName}; supported are FLOAT, INT, STRING, TENSOR, FLOATS, INTS and STRINGS");
        }
    }

    private static OnnxTensor ReadTensor(ProtoReader reader)
    {
        var dims = new List<long>();
        int dataType = 0;
        string name = "";
        ReadOnlySpan<byte> raw = default;
        bool hasRaw = false;
        var floatData = new List<float>();
        var int32Data = new List<int>();
        var int64Data = new List<long>();
        while (reader.TryReadTag(out int field, out WireType wire))
        {
            switch (field)
            {
                case 1:
                    reader.ReadRepeatedInt64("dims", field, wire, dims);
                    if (dims.Count > OnnxLimits.MaxRank)
                    {
                        throw reader.Fail($"tensor has more than {OnnxLimits.MaxRank} dims");
                    }

                    break;
                case 2:
                    reader.Expect("data_type", field, wire, WireType.Varint);
                    dataType = reader.ReadInt32("data_type");
                    break;
                case 3:
                    throw reader.Fail($"tensor '{name}' is segmented (field segment), which is not supported");
                case 4:
                    reader.ReadRepeatedFloat("float_data", field, wire, floatData);
                    break;
                case 5:
                    reader.ReadRepeatedInt32("int32_data", field, wire, int32Data);
                    break;
                case 7:
                    reader.ReadRepeatedInt64("int64_data", field, wire, int64Data);
                    break;
                case 8:
                    reader.Expect("name", field, wire, WireType.LengthDelimited);
                    name = reader.ReadString("name");
                    break;
                case 9:
                    reader.Expect("raw_data", field, wire, WireType.LengthDelimited);
                    raw = reader.ReadLengthDelimited();
                    hasRaw = true;
                    break;
                case 13:
                    throw reader.Fail($"tensor '{name}' keeps its data in an external file, which is not supported");
                case 14:
                    reader.Expect("data_location", field, wire, WireType.Varint);
                    if (reader.ReadInt64() != 0)
                    {
                        throw reader.Fail($"tensor '{name}' has data_location EXTERNAL, which is not supported");
                    }

                    break;
                default:
                    reader.SkipField(field, wire);
                    break;
            }
        }

        string label = $"tensor '{name}'";
        long count = 1;
        foreach (long dim in dims)
        {
            if (dim < 0)
            {
                throw reader.Fail($"{label} has negative dims [{string.Join(", ", dims)}]");
            }

            if (dim > 0 && count > OnnxLimits.MaxTensorElements / dim)
            {
                throw reader.Fail($"{label} dims [{string.Join(", ", dims)}] hold more than {OnnxLimits.MaxTensorElements} elements");
            }

            count *= dim;
        }

        long[] shape = [.. dims];
        var type = (OnnxDataType)dataType;
        int typedSources = (floatData.Count > 0 ? 1 : 0) + (int32Data.Count > 0 ? 1 : 0) + (int64Data.Count > 0 ? 1 : 0);
        if (typedSources + (hasRaw ? 1 : 0) > 1)
        {
            throw reader.Fail($"{label} stores its data in more than one of raw_data, float_data, int32_data and int64_data");
        }

        switch (type)
        {
            case OnnxDataType.Float:
                CheckTypedField(reader, label, type, int32Data.Count + int64Data.Count == 0, "float_data");
                return OnnxTensor.FromFloats(name, shape, hasRaw ? DecodeRaw<float>(reader, label, raw, count) : Typed(reader, label, floatData, count, "float_data"));
            case OnnxDataType.Int32:
                CheckTypedField(reader, label, type, floatData.Count + int64Data.Count == 0, "int32_data");
                return OnnxTensor.FromInt32s(name, shape, hasRaw ? DecodeRaw<int>(reader, label, raw, count) : Typed(reader, label, int32Data, count, "int32_data"));
            case OnnxDataType.Int64:
                CheckTypedField(reader, label, type, floatData.Count + int32Data.Count == 0, "int64_data");
                return OnnxTensor.FromInt64s(name, shape, hasRaw ? DecodeRaw<long>(reader, label, raw, count) : Typed(reader, label, int64Data, count, "int64_data"));
            default:
                string typeName = Enum.IsDefined(type) ? type.ToString().ToUpperInvariant() : "unknown";
                throw reader.Fail($"{label} has data_type {dataType} ({typeName}); supported are FLOAT (1), INT32 (6) and INT64 (7)");
        }
    }

    private static void CheckTypedField(ProtoReader reader, string label, OnnxDataType type, bool onlyMatching, string expectedField)
    {
        if (!onlyMatching)
        {
            throw reader.Fail($"{label} of type {type.ToString().ToUpperInvariant()} must store typed data in {expectedField} or raw_data");
        }
    }

    private static T[] Typed<T>(ProtoReader reader, string label, List<T> values, long count, string field)
    {
        if (values.Count != count)
        {
            throw reader.Fail($"{label} has {values.Count} values in {field} but its dims hold {count}");
        }

        return [.. values];
    }

    private static T[] DecodeRaw<T>(ProtoReader reader, string label, ReadOnlySpan<byte> raw, long count)
        where T : unmanaged
    {
        int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (raw.Length != count * size)
        {
            throw reader.Fail($"{label} has {raw.Length} bytes of raw_data but its dims hold {count} elements of {size} bytes ({count * size} bytes)");
        }

        var values = new T[count];
        Span<byte> destination = MemoryMarshal.AsBytes(values.AsSpan());
        raw.CopyTo(destination);
        if (!BitConverter.IsLittleEndian)
        {
            // NOTE: raw_data is little-endian by spec; swap each element on big-endian hosts.
            for (int i = 0; i < raw.Length; i += size)
            {
                destination.Slice(i, size).Reverse();
            }
        }

        return values;
    }

    private static OnnxValueInfo ReadValueInfo(ProtoReader reader, bool requireType)
    {
        string name = "";
        OnnxDataType elementType = OnnxDataType.Undefined;
        List<OnnxDimension>? shape = null;
        bool hasType = false;
        while (reader.TryReadTag(out int field, out WireType wire))
        {
            switch (field)
            {
                case 1:
                    reader.Expect("name", field, wire, WireType.LengthDelimited);
                    name = reader.ReadString("name");
                    break;
                case 2:
                    reader.Expect("type", field, wire, WireType.LengthDelimited);
                    (elementType, shape) = ReadType(reader.ReadMessage($"{reader.Context} '{name}'.type"));
                    hasType = true;
                    break;
                default:
                    reader.SkipField(field, wire);
                    break;
            }
        }

        if (name.Length == 0)
        {
            throw reader.Fail("value has no name");
        }

        if (requireType && !hasType)
        {
            throw reader.Fail($"value '{name}' has no type; graph inputs and outputs need one");
        }

        return new OnnxValueInfo(name, elementType, shape);
    }

    private static (OnnxDataType ElementType, List<OnnxDimension>? Shape) ReadType(ProtoReader reader)
    {
        OnnxDataType elementType = OnnxDataType.Undefined;
        List<OnnxDimension>? shape = null;
        bool isTensor = false;
        while (reader.TryReadTag(out int field, out WireType wire))
        {
            switch (field)
            {
                case 1:
                    reader.Expect("tensor_type", field, wire, WireType.LengthDelimited);
                    (elementType, shape) = ReadTensorType(reader.ReadMessage($"{reader.Context}.tensor_type"));
                    isTensor = true;
                    break;
                case 6:
                    reader.SkipField(field, wire);
                    break;
                default:
                    throw reader.Fail($"type field {field} is not a tensor type; only tensor values are supported");
            }
        }

        if (!isTensor)
        {
            throw reader.Fail("type has no tensor_type; only tensor values are supported");
        }

        return (elementType, shape);
    }

    private static (OnnxDataType ElementType, List<OnnxDimension>? Shape) ReadTensorType(ProtoReader reader)
    {
        int elementType = 0;
        List<OnnxDimension>? shape = null;
        while (reader.TryReadTag(out int field, out WireType wire))
        {
            switch (field)
            {
                case 1:
                    reader.Expect("elem_type", field, wire, WireType.Varint);
                    elementType = reader.ReadInt32("elem_type");
                    break;
                case 2:
                    reader.Expect("shape", field, wire, WireType.LengthDelimited);
                    shape = ReadShape(reader.ReadMessage($"{reader.Context}.shape"));
                    break;
                default:
                    reader.SkipField(field, wire);
                    break;
            }
        }

        if (elementType < 0 || elementType > (int)OnnxDataType.BFloat16)
        {
            throw reader.Fail($"elem_type {elementType} is not an ONNX data type (0 to 16)");
        }

        return ((OnnxDataType)elementType, shape);
    }

    private static List<OnnxDimension> ReadShape(ProtoReader reader)
    {
        var dims = new List<OnnxDimension>();
        while (reader.TryReadTag(out int field, out WireType wire))
        {
            if (field != 1)
            {
                reader.SkipField(field, wire);
                continue;
            }

            reader.Expect("dim", field, wire, WireType.LengthDelimited);
            if (dims.Count == OnnxLimits.MaxRank)
            {
                throw reader.Fail($"shape has more than {OnnxLimits.MaxRank} dims");
            }

            dims.Add(ReadDimension(reader.ReadMessage($"{reader.Context}.dim[{dims.Count}]")));
        }

        return dims;
    }

    private static OnnxDimension ReadDimension(ProtoReader reader)
    {
        long? value = null;
        string? param = null;
        while (reader.TryReadTag(out int field, out WireType wire))
        {
            switch (field)
            {
                case 1:
                    reader.Expect("dim_value", field, wire, WireType.Varint);
                    value = reader.ReadInt64();
                    param = null;
                    if (value < 0)
                    {
                        throw reader.Fail($"dim_value {value} is negative");
                    }

                    break;
                case 2:
                    reader.Expect("dim_param", field, wire, WireType.LengthDelimited);
                    param = reader.ReadString("dim_param");
                    value = null;
                    break;
                default:
                    reader.SkipField(field, wire);
                    break;
            }
        }

        return new OnnxDimension(value, param);
    }
}
