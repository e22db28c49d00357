using InMood.Onnx.Model;

namespace InMood.Onnx.Tests;

/// <summary>Small models built in code for the writer, ONNX Runtime and fuzz tests.</summary>
internal static class TestGraphs
{
    /// <summary>Deterministic values in [-1, 1) from a seed.</summary>
    public static float[] Random(int count, int seed)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }

    /// <summary>
    /// y = Relu(Conv(x, W, B)), strides 2, pads 1.
    /// Shapes: x [1, 2, 5, 5], W [3, 2, 3, 3], B [3], y [1, 3, 3, 3].
    /// </summary>
    public static OnnxModel ConvRelu(float[] weight, float[] bias)
    {
        var conv = new OnnxNode("Conv", ["x", "W", "B"], ["c"], "conv1")
        {
            Attributes =
            [
                OnnxAttribute.FromInts("kernel_shape", 3, 3),
                OnnxAttribute.FromInts("strides", 2, 2),
                OnnxAttribute.FromInts("pads", 1, 1, 1, 1),
                OnnxAttribute.FromInts("dilations", 1, 1),
                OnnxAttribute.FromInt("group", 1),
            ],
        };
        return new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Name = "conv_relu",
                Nodes = [conv, new OnnxNode("Relu", ["c"], ["y"], "relu1")],
                Initializers = [OnnxTensor.FromFloats("W", [3, 2, 3, 3], weight), OnnxTensor.FromFloats("B", [3], bias)],
                Inputs = [OnnxValueInfo.Tensor("x", OnnxDataType.Float, 1, 2, 5, 5)],
                Outputs = [OnnxValueInfo.Tensor("y", OnnxDataType.Float, 1, 3, 3, 3)],
            },
        };
    }

    /// <summary>
    /// y = Transpose(Reshape(x, shape)) + k with k from a Constant node, then Gemm with alpha/beta.
    /// Shapes: x [2, 3], shape int64 [2] = (3, 2), t [2, 3], k [2, 3], G [3, 4], C [4], y [2, 4].
    /// </summary>
    public static OnnxModel ShapeOps(float[] constant, float[] gemmWeight, float[] gemmBias)
    {
        return new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Name = "shape_ops",
                Nodes =
                [
                    new OnnxNode("Reshape", ["x", "shape"], ["r"], "reshape"),
                    new OnnxNode("Transpose", ["r"], ["t"], "transpose") { Attributes = [OnnxAttribute.FromInts("perm", 1, 0)] },
                    new OnnxNode("Constant", [], ["k"], "constant") { Attributes = [OnnxAttribute.FromTensor("value", OnnxTensor.FromFloats("k", [2, 3], constant))] },
                    new OnnxNode("Add", ["t", "k"], ["a"], "add"),
                    new OnnxNode("Gemm", ["a", "G", "C"], ["y"], "gemm")
                    {
                        Attributes = [OnnxAttribute.FromFloat("alpha", 0.5f), OnnxAttribute.FromFloat("beta", 2f)],
                    },
                ],
                Initializers =
                [
                    OnnxTensor.FromInt64s("shape", [2], [3, 2]),
                    OnnxTensor.FromFloats("G", [3, 4], gemmWeight),
                    OnnxTensor.FromFloats("C", [4], gemmBias),
                ],
                Inputs = [OnnxValueInfo.Tensor("x", OnnxDataType.Float, 2, 3)],
                Outputs = [OnnxValueInfo.Tensor("y", OnnxDataType.Float, 2, 4)],
            },
        };
    }

    /// <summary>A model touching every attribute type, tensor type and dimension kind the object model has.</summary>
    public static OnnxModel EveryFeature()
    {
        var node = new OnnxNode("Custom", ["x", "", "w"], ["y", "z"], "every")
        {
            Attributes =
            [
                OnnxAttribute.FromFloat("f", -1.25f),
                OnnxAttribute.FromInt("i", long.MinValue),
                OnnxAttribute.FromString("s", "SAME_UPPER"),
                OnnxAttribute.FromTensor("t", OnnxTensor.FromInt32s("t", [2], [int.MinValue, int.MaxValue])),
                OnnxAttribute.FromFloats("floats", 0f, float.MaxValue, float.NegativeInfinity),
                OnnxAttribute.FromInts("ints", -1, 0, long.MaxValue),
                OnnxAttribute.FromStrings("strings", "a", "", "b"),
                OnnxAttribute.FromInts("empty_ints"),
            ],
        };
        return new OnnxModel
        {
            IrVersion = 7,
            ProducerName = "tests",
            Graph = new OnnxGraph
            {
                Name = "every",
                Nodes = [node, new OnnxNode("Relu", ["y"], ["r"])],
                Initializers =
                [
                    OnnxTensor.FromFloats("w", [2, 2], Random(4, 1)),
                    OnnxTensor.FromInt64s("scalar", [], [42]),
                    OnnxTensor.FromFloats("empty", [0, 4], []),
                ],
                Inputs = [new OnnxValueInfo("x", OnnxDataType.Float, [OnnxDimension.Symbolic("N"), OnnxDimension.Known(3), default])],
                Outputs = [OnnxValueInfo.Tensor("r", OnnxDataType.Float, 2, 2), new OnnxValueInfo("z", OnnxDataType.Int64, null)],
                ValueInfos = [OnnxValueInfo.Tensor("y", OnnxDataType.Float, 2, 2)],
            },
        };
    }
}
