using InMood.Onnx.Model;

namespace InMood.Onnx.Tests;

public sealed class OnnxWriterTests
{
    [Fact]
    public void Write_ModelWithEveryAttributeAndTensorType_ReadsBackEqual()
    {
        OnnxModel original = TestGraphs.EveryFeature();

        OnnxModel copy = OnnxReader.Read(OnnxWriter.Write(original));

        Assert.Equal(original.IrVersion, copy.IrVersion);
        Assert.Equal(original.Opset, copy.Opset);
        Assert.Equal(original.ProducerName, copy.ProducerName);
        Assert.Equal(original.Graph.Name, copy.Graph.Name);
        Assert.Equal(original.Graph.Nodes.Count, copy.Graph.Nodes.Count);
        for (int n = 0; n < original.Graph.Nodes.Count; n++)
        {
            AssertNodeEqual(original.Graph.Nodes[n], copy.Graph.Nodes[n]);
        }

        Assert.Equal(original.Graph.Initializers.Count, copy.Graph.Initializers.Count);
        for (int t = 0; t < original.Graph.Initializers.Count; t++)
        {
            AssertTensorEqual(original.Graph.Initializers[t], copy.Graph.Initializers[t]);
        }

        Assert.Equal(original.Graph.Inputs.Select(v => v.ToString()), copy.Graph.Inputs.Select(v => v.ToString()));
        Assert.Equal(original.Graph.Outputs.Select(v => v.ToString()), copy.Graph.Outputs.Select(v => v.ToString()));
        Assert.Equal(original.Graph.ValueInfos.Select(v => v.ToString()), copy.Graph.ValueInfos.Select(v => v.ToString()));
    }

    [Fact]
    public void Write_ReadModelWrittenAgain_GivesIdenticalBytes()
    {
        byte[] first = OnnxWriter.Write(TestGraphs.EveryFeature());

        byte[] second = OnnxWriter.Write(OnnxReader.Read(first));

        Assert.Equal(first, second);
    }

    [Fact]
    public void Write_DefaultModel_UsesIrVersionEightAndOpsetThirteen()
    {
        var model = new OnnxModel { Graph = new OnnxGraph { Outputs = [OnnxValueInfo.Tensor("y", OnnxDataType.Float, 1)] } };

        OnnxModel copy = OnnxReader.Read(OnnxWriter.Write(model));

        Assert.Equal(8, copy.IrVersion);
        Assert.Equal(13, copy.Opset);
    }

    [ReferenceModelFact]
    public void Write_ReferenceModelReadBack_KeepsEveryNodeAndWeight()
    {
        OnnxModel original = OnnxReader.ReadFile(TestPaths.BigXception);

        OnnxModel copy = OnnxReader.Read(OnnxWriter.Write(original));

        Assert.Equal(original.Graph.Nodes.Count, copy.Graph.Nodes.Count);
        for (int t = 0; t < original.Graph.Initializers.Count; t++)
        {
            AssertTensorEqual(original.Graph.Initializers[t], copy.Graph.Initializers[t]);
        }
    }

    [Fact]
    public void Tensor_DimsDisagreeWithData_ThrowsArgumentException()
    {
        var exception = Assert.Throws<ArgumentException>(() => OnnxTensor.FromFloats("w", [2, 3], new float[5]));

        Assert.StartsWith("Tensor 'w': dims [2, 3] hold 6 elements but 5 were given.", exception.Message);
    }

    private static void AssertNodeEqual(OnnxNode expected, OnnxNode actual)
    {
        Assert.Equal(expected.OpType, actual.OpType);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Inputs, actual.Inputs);
        Assert.Equal(expected.Outputs, actual.Outputs);
        Assert.Equal(expected.Attributes.Count, actual.Attributes.Count);
        for (int a = 0; a < expected.Attributes.Count; a++)
        {
            OnnxAttribute e = expected.Attributes[a];
            OnnxAttribute g = actual.Attributes[a];
            Assert.Equal(e.Name, g.Name);
            Assert.Equal(e.Type, g.Type);
            Assert.Equal(e.Float, g.Float);
            Assert.Equal(e.Int, g.Int);
            Assert.Equal(e.String, g.String);
            Assert.Equal(e.Floats, g.Floats);
            Assert.Equal(e.Ints, g.Ints);
            Assert.Equal(e.Strings, g.Strings);
            if (e.Tensor is not null)
            {
                AssertTensorEqual(e.Tensor, g.Tensor!);
            }
        }
    }

    private static void AssertTensorEqual(OnnxTensor expected, OnnxTensor actual)
    {
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.DataType, actual.DataType);
        Assert.Equal(expected.Dims, actual.Dims);
        Assert.Equal(expected.FloatData, actual.FloatData);
        Assert.Equal(expected.Int32Data, actual.Int32Data);
        Assert.Equal(expected.Int64Data, actual.Int64Data);
    }
}
