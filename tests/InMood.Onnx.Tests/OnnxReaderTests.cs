using InMood.Onnx.Model;
using InMood.Onnx.Protobuf;

namespace InMood.Onnx.Tests;

public sealed class OnnxReaderTests
{
    [Fact]
    public void Read_MinimalModel_ReadsVersionsNodeAndOutput()
    {
        byte[] bytes = ModelBytes.Model(graph: ModelBytes.Graph(nodes: [ModelBytes.Node()]));

        OnnxModel model = OnnxReader.Read(bytes);

        Assert.Equal(8, model.IrVersion);
        Assert.Equal(13, model.Opset);
        OnnxNode node = Assert.Single(model.Graph.Nodes);
        Assert.Equal("Relu", node.OpType);
        Assert.Equal(["x"], node.Inputs);
        Assert.Equal("y", Assert.Single(model.Graph.Outputs).Name);
    }

    [Fact]
    public void Read_EmptyBytes_ThrowsIrVersionMissing()
    {
        var exception = Assert.Throws<InvalidDataException>(() => OnnxReader.Read([]));

        Assert.Equal("model: ir_version is missing; expected 3 to 11.", exception.Message);
    }

    [Theory]
    [InlineData(2L)]
    [InlineData(12L)]
    [InlineData(-1L)]
    public void Read_IrVersionOutOfRange_Throws(long irVersion)
    {
        byte[] bytes = ModelBytes.Model(irVersion: irVersion, graph: ModelBytes.Graph());

        var exception = Assert.Throws<InvalidDataException>(() => OnnxReader.Read(bytes));

        Assert.Contains($"ir_version is {irVersion}; expected 3 to 11", exception.Message);
    }

    [Theory]
    [InlineData(10L)]
    [InlineData(18L)]
    public void Read_OpsetOutsideElevenToSeventeen_Throws(long opset)
    {
        byte[] bytes = ModelBytes.Model(opset: opset, graph: ModelBytes.Graph());

        var exception = Assert.Throws<InvalidDataException>(() => OnnxReader.Read(bytes));

        Assert.Equal($"model: standard opset {opset} is not supported; expected 11 to 17.", exception.Message);
    }

    [Theory]
    [InlineData(11L)]
    [InlineData(17L)]
    public void Read_OpsetAtRangeEnds_Succeeds(long opset)
    {
        byte[] bytes = ModelBytes.Model(opset: opset, graph: ModelBytes.Graph());

        OnnxModel model = OnnxReader.Read(bytes);

        Assert.Equal(opset, model.Opset);
    }

    [Fact]
    public void Read_NoOpsetImport_Throws()
    {
        byte[] bytes = ModelBytes.Model(opset: null, graph: ModelBytes.Graph());

        var exception = Assert.Throws<InvalidDataException>(() => OnnxReader.Read(bytes));

        Assert.Contains("opset_import has no entry for the standard ONNX domain", exception.Message);
    }

    [Fact]
    public void Read_NoGraph_Throws()
    {
        byte[] bytes = ModelBytes.Model();

        var exception = Assert.Throws<InvalidDataException>(() => OnnxReader.Read(bytes));

        Assert.Equal("model: graph is missing.", exception.Message);
    }

    [Fact]
    public void Read_GraphWithoutOutputs_Throws()
    {
        byte[] bytes = ModelBytes.Model(graph: []);

        var exception = Assert.Throws<InvalidDataException>(() => OnnxReader.Read(bytes));

        Assert.Equal("graph: graph has no outputs.", exception.Message);
    }

    [Fact]
    public void Read_NodeWithoutOpType_ThrowsNamingNode()
    {
        byte[] bytes = ModelBytes.Model(graph: ModelBytes.Graph(nodes: [ModelBytes.Node(), ModelBytes.Node(opType: "")]));

        var exception = Assert.Throws<InvalidDataException>(() => OnnxReader.Read(bytes));

        Assert.Equal("graph.node[1]: node 'n0' has no op_type.", exception.Message);
    }

    [Fact]
    public void Read_NodeInCustomDomain_ThrowsNamingDomain()
    {
        byte[] bytes = ModelBytes.Model(graph: ModelBytes.Graph(nodes: [ModelBytes.Node("FusedConv", "com.microsoft")]));

        var exception = Assert.Throws<InvalidDataException>(() => OnnxReader.Read(bytes));

        Assert.Equal("graph.node[0]: node 'n0' (FusedConv) is in domain 'com.microsoft'; only the standard ONNX domain is supported.", exception.Message);
    }

    [Fact]
    public void Read_DuplicateAttribute_Throws()
    {
        byte[] attribute = ModelBytes.IntAttribute("axis", 1);
        byte[] bytes = ModelBytes.Model(graph: ModelBytes.Graph(nodes: [ModelBytes.Node("Softmax", null, attribute, attribute)]));

        var exception = Assert.Throws<InvalidDataException>(() => OnnxReader.Read(bytes));

        Assert.Contains("node 'n0' (Softmax) has attribute 'axis' more than once", exception.Message);
    }

    [Fact]
    public void Read_AttributeWithoutType_ThrowsNamingNodeAndAttribute()
    {
        byte[] bytes = ModelBytes.Model(graph: ModelBytes.Graph(nodes: [ModelBytes.Node("Softmax", null, ModelBytes.IntAttribute("axis", 1, type: null))]));

        var exception = Assert.Throws<InvalidDataException>(() => OnnxReader.Read(bytes));

        Assert.Equal("graph.node[0] 'n0' (Softmax).attribute[0]: attribute 'axis' has no type (field 20); it is required since IR version 2.", exception.Message);
    }

    [Fact]
    public void Read_GraphAttribute_ThrowsUnsupportedType()
    {
        byte[] bytes = ModelBytes.Model(graph: ModelBytes.Graph(nodes: [ModelBytes.Node("If", null, ModelBytes.IntAttribute("then_branch", 0, type: 5))]));

        var exception = Assert.Throws<InvalidDataException>(() => OnnxReader.Read(bytes));

        Assert.Contains("attribute 'then_branch' has type GRAPH; supported are FLOAT, INT, STRING, TENSOR, FLOATS, INTS and STRINGS", exception.Message);
    }

    [Fact]
    public void Read_DoubleTensor_ThrowsNamingTensorAndType()
    {
        byte[] bytes = ModelBytes.ModelWithInitializer(ModelBytes.RawTensor("w", [1], 11, new byte[8]));

        var exception = Assert.Throws<InvalidDataException>(() => OnnxReader.Read(bytes));

        Assert.Equal("graph.initializer[0]: tensor 'w' has data_type 11 (DOUBLE); supported are FLOAT (1), INT32 (6) and INT64 (7).", exception.Message);
    }

    [Fact]
    public void Read_NegativeDim_Throws()
    {
        byte[] bytes = ModelBytes.ModelWithInitializer(ModelBytes.RawTensor("w", [2, -1], 1, new byte[8]));

        var exception = Assert.Throws<InvalidDataException>(() => OnnxReader.Read(bytes));

        Assert.Contains("tensor 'w' has negative dims [2, -1]", exception.Message);
    }

    [Fact]
    public void Read_DimsProductOverflows_ThrowsBeforeAllocating()
    {
        byte[] bytes = ModelBytes.ModelWithInitializer(ModelBytes.RawTensor("w", [1L << 40, 1L << 40], 1, new byte[4]));

        var exception = Assert.Throws<InvalidDataException>(() => OnnxReader.Read(bytes));

        Assert.Contains($"tensor 'w' dims [1099511627776, 1099511627776] hold more than {OnnxLimits.MaxTensorElements} elements", exception.Message);
    }

    [Fact]
    public void Read_RawDataShorterThanDims_ThrowsWithBothSizes()
    {
        byte[] bytes = ModelBytes.ModelWithInitializer(ModelBytes.RawTensor("conv1.weight", [2, 1, 3, 3], 1, new byte[64]));

        var exception = Assert.Throws<InvalidDataException>(() => OnnxReader.Read(bytes));

        Assert.Equal("graph.initializer[0]: tensor 'conv1.weight' has 64 bytes of raw_data but its dims hold 18 elements of 4 bytes (72 bytes).", exception.Message);
    }

    [Fact]
    public void Read_NoDataForNonEmptyTensor_Throws()
    {
        byte[] bytes = ModelBytes.ModelWithInitializer(ModelBytes.RawTensor("b", [3], 1, raw: null));

        var exception = Assert.Throws<InvalidDataException>(() => OnnxReader.Read(bytes));

        Assert.Contains("tensor 'b' has 0 values in float_data but its dims hold 3", exception.Message);
    }

    [Fact]
    public void Read_FloatDataCountMismatch_Throws()
    {
        var tensor = new ProtoWriter();
        tensor.WritePackedInt64(1, [4]);
        tensor.WriteInt64(2, 1);
        tensor.WritePackedFloat(4, [1f, 2f, 3f]);
        tensor.WriteString(8, "b");

        var exception = Assert.Throws<InvalidDataException>(() => OnnxReader.Read(ModelBytes.ModelWithInitializer(tensor.ToArray())));

        Assert.Contains("tensor 'b' has 3 values in float_data but its dims hold 4", exception.Message);
    }

    [Fact]
    public void Read_RawAndTypedData_Throws()
    {
        var tensor = new ProtoWriter();
        tensor.WritePackedInt64(1, [1]);
        tensor.WriteInt64(2, 1);
        tensor.WritePackedFloat(4, [1f]);
        tensor.WriteString(8, "b");
        tensor.WriteBytes(9, new byte[4]);

        var exception = Assert.Throws<InvalidDataException>(() => OnnxReader.Read(ModelBytes.ModelWithInitializer(tensor.ToArray())));

        Assert.Contains("tensor 'b' stores its data in more than one of raw_data", exception.Message);
    }

    [Fact]
    public void Read_Int64DataInFloatTensor_Throws()
    {
        var tensor = new ProtoWriter();
        tensor.WritePackedInt64(1, [1]);
        tensor.WriteInt64(2, 1);
        tensor.WritePackedInt64(7, [5]);
        tensor.WriteString(8, "b");

        var exception = Assert.Throws<InvalidDataException>(() => OnnxReader.Read(ModelBytes.ModelWithInitializer(tensor.ToArray())));

        Assert.Contains("tensor 'b' of type FLOAT must store typed data in float_data or raw_data", exception.Message);
    }

    [Fact]
    public void Read_ExternalData_Throws()
    {
        var tensor = new ProtoWriter();
        tensor.WriteString(8, "big");
        tensor.WriteInt64(14, 1);

        var exception = Assert.Throws<InvalidDataException>(() => OnnxReader.Read(ModelBytes.ModelWithInitializer(tensor.ToArray())));

        Assert.Contains("tensor 'big' has data_location EXTERNAL, which is not supported", exception.Message);
    }

    [Fact]
    public void Read_DuplicateInitializerNames_Throws()
    {
        byte[] tensor = ModelBytes.RawTensor("w", [1], 1, new byte[4]);
        byte[] bytes = ModelBytes.Model(graph: ModelBytes.Graph(initializers: [tensor, tensor]));

        var exception = Assert.Throws<InvalidDataException>(() => OnnxReader.Read(bytes));

        Assert.Equal("graph: initializer 'w' appears more than once.", exception.Message);
    }

    [Fact]
    public void Read_TypedDataForms_DecodeToTheSameValues()
    {
        var unpacked = new ProtoWriter();
        unpacked.WriteInt64(1, 2);
        unpacked.WriteInt64(2, 1);
        unpacked.WriteFloat(4, 1.5f);
        unpacked.WriteFloat(4, -2f);
        unpacked.WriteString(8, "f");
        var int64 = new ProtoWriter();
        int64.WritePackedInt64(1, [3]);
        int64.WriteInt64(2, 7);
        int64.WritePackedInt64(7, [1, -1, long.MaxValue]);
        int64.WriteString(8, "shape");
        byte[] int32 = ModelBytes.RawTensor("i", [2], 6, [1, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]);
        byte[] bytes = ModelBytes.Model(graph: ModelBytes.Graph(initializers: [unpacked.ToArray(), int64.ToArray(), int32]));

        OnnxModel model = OnnxReader.Read(bytes);

        Assert.Equal(new[] { 1.5f, -2f }, model.Graph.Initializers[0].FloatData);
        Assert.Equal(new[] { 1L, -1L, long.MaxValue }, model.Graph.Initializers[1].Int64Data);
        Assert.Equal(new[] { 1, -1 }, model.Graph.Initializers[2].Int32Data);
    }

    [Fact]
    public void Read_ScalarAndEmptyTensors_HaveOneAndZeroElements()
    {
        byte[] scalar = ModelBytes.RawTensor("s", [], 1, [0, 0, 0x80, 0x3F]);
        byte[] empty = ModelBytes.RawTensor("e", [0, 3], 1, raw: null);
        byte[] bytes = ModelBytes.Model(graph: ModelBytes.Graph(initializers: [scalar, empty]));

        OnnxModel model = OnnxReader.Read(bytes);

        Assert.Equal(new[] { 1f }, model.Graph.Initializers[0].FloatData);
        Assert.Empty(model.Graph.Initializers[0].Dims);
        Assert.Equal(0, model.Graph.Initializers[1].ElementCount);
    }

    [Fact]
    public void Read_SequenceTypedInput_Throws()
    {
        var sequence = new ProtoWriter();
        sequence.WriteBytes(4, []);
        var value = new ProtoWriter();
        value.WriteString(1, "seq");
        value.WriteMessage(2, sequence);
        byte[] bytes = ModelBytes.Model(graph: ModelBytes.Graph(inputs: [value.ToArray()]));

        var exception = Assert.Throws<InvalidDataException>(() => OnnxReader.Read(bytes));

        Assert.Equal("graph.input[0] 'seq'.type: type field 4 is not a tensor type; only tensor values are supported.", exception.Message);
    }

    [Fact]
    public void Read_NegativeDimValue_Throws()
    {
        var dim = new ProtoWriter();
        dim.WriteInt64(1, -3);
        var shape = new ProtoWriter();
        shape.WriteMessage(1, dim);
        var tensorType = new ProtoWriter();
        tensorType.WriteInt64(1, 1);
        tensorType.WriteMessage(2, shape);
        var type = new ProtoWriter();
        type.WriteMessage(1, tensorType);
        var value = new ProtoWriter();
        value.WriteString(1, "x");
        value.WriteMessage(2, type);
        byte[] bytes = ModelBytes.Model(graph: ModelBytes.Graph(inputs: [value.ToArray()]));

        var exception = Assert.Throws<InvalidDataException>(() => OnnxReader.Read(bytes));

        Assert.Equal("graph.input[0] 'x'.type.tensor_type.shape.dim[0]: dim_value -3 is negative.", exception.Message);
    }

    [Fact]
    public void Read_GroupWireTypeInModel_Throws()
    {
        byte[] bytes = [.. ModelBytes.Model(graph: ModelBytes.Graph()), (15 << 3) | 3, 0];

        var exception = Assert.Throws<InvalidDataException>(() => OnnxReader.Read(bytes));

        Assert.Contains("model: field 15 uses protobuf groups (wire type 3)", exception.Message);
    }

    [Fact]
    public void Read_KnownFieldWithWrongWireType_ThrowsNamingField()
    {
        byte[] bytes = [(7 << 3) | 0, 1];

        var exception = Assert.Throws<InvalidDataException>(() => OnnxReader.Read(bytes));

        Assert.Equal("model: graph (field 7) has wire type 0; expected 2 (LengthDelimited).", exception.Message);
    }

    [Fact]
    public void Read_TruncatedModel_ThrowsLengthExceedsRemaining()
    {
        byte[] full = ModelBytes.Model(graph: ModelBytes.Graph(nodes: [ModelBytes.Node()]));

        var exception = Assert.Throws<InvalidDataException>(() => OnnxReader.Read(full.AsSpan(0, full.Length - 6)));

        Assert.Contains("exceeds the", exception.Message);
    }

    [Fact]
    public void Read_UnknownFields_AreSkipped()
    {
        var model = new ProtoWriter();
        model.WriteInt64(1, 8);
        model.WriteString(6, "doc string");
        model.WriteFloat(99, 1f);
        model.WriteTag(100, WireType.Fixed64);
        for (int i = 0; i < 8; i++)
        {
            model.WriteVarint(0);
        }

        model.WriteBytes(101, []);
        model.WriteBytes(7, ModelBytes.Graph());
        var import = new ProtoWriter();
        import.WriteInt64(2, 13);
        model.WriteMessage(8, import);

        OnnxModel result = OnnxReader.Read(model.ToArray());

        Assert.Equal(13, result.Opset);
    }

    [Fact]
    public void Read_MoreThanMaxNodes_Throws()
    {
        byte[] node = ModelBytes.Node();
        var graph = new ProtoWriter();
        for (int i = 0; i <= OnnxLimits.MaxNodes; i++)
        {
            graph.WriteBytes(1, node);
        }

        var exception = Assert.Throws<InvalidDataException>(() => OnnxReader.Read(ModelBytes.Model(graph: graph.ToArray())));

        Assert.Equal($"graph: more than {OnnxLimits.MaxNodes} nodes.", exception.Message);
    }

    [Fact]
    public void ReadFile_MissingFile_ThrowsNamingFileAndReason()
    {
        string path = Path.Combine(Path.GetTempPath(), $"inmood-missing-{Guid.NewGuid():N}.onnx");

        var exception = Assert.Throws<InvalidDataException>(() => OnnxReader.ReadFile(path));

        Assert.Equal($"{path}: cannot read the file (no such file)", exception.Message);
    }
}
