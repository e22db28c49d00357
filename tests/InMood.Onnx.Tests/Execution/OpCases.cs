using InMood.Onnx.Model;

namespace InMood.Onnx.Tests.Execution;

/// <summary>The op cases, one or more per supported op, with the attribute variants the reference models use.</summary>
internal static class OpCases
{
    public static IReadOnlyList<OpCase> All { get; } = Build();

    private static List<OpCase> Build()
    {
        return
        [
            Conv("Conv_3x3_Pads1", [1, 3, 8, 8], [4, 3, 3, 3], bias: true, OnnxAttribute.FromInts("pads", 1, 1, 1, 1)),
            Conv("Conv_Depthwise_Stride2_AsymmetricPads", [1, 4, 9, 9], [4, 1, 3, 3], bias: true, OnnxAttribute.FromInt("group", 4), OnnxAttribute.FromInts("strides", 2, 2), OnnxAttribute.FromInts("pads", 0, 0, 1, 1)),
            Conv("Conv_5x5_Stride2_Pads1122", [1, 3, 16, 16], [8, 3, 5, 5], bias: true, OnnxAttribute.FromInts("strides", 2, 2), OnnxAttribute.FromInts("pads", 1, 1, 2, 2)),
            Conv("Conv_Dilation2_Pads2", [2, 2, 7, 7], [3, 2, 3, 3], bias: true, OnnxAttribute.FromInts("pads", 2, 2, 2, 2), OnnxAttribute.FromInts("dilations", 2, 2)),
            Conv("Conv_SameUpper_Stride2", [1, 2, 8, 8], [3, 2, 3, 3], bias: false, OnnxAttribute.FromString("auto_pad", "SAME_UPPER"), OnnxAttribute.FromInts("strides", 2, 2)),
            Conv("Conv_Valid_Grouped", [1, 4, 6, 6], [6, 2, 3, 3], bias: false, OnnxAttribute.FromString("auto_pad", "VALID"), OnnxAttribute.FromInt("group", 2)),
            Conv("Conv_1x1", [1, 8, 5, 5], [16, 8, 1, 1], bias: true),
            Unary("Relu", [2, 3, 4]),
            Unary("LeakyRelu", [2, 3, 4], OnnxAttribute.FromFloat("alpha", 0.2f)),
            Unary("Sigmoid", [2, 3, 4]),
            Unary("Identity", [5]),
            new OpCase("Clip", new OnnxNode("Clip", ["x", "lo", "hi"], ["y"]), [("x", [3, 4])], [OnnxTensor.FromFloats("lo", [], [-0.25f]), OnnxTensor.FromFloats("hi", [], [0.5f])]),
            Binary("Add", [2, 3, 4, 5], [3, 1, 1]),
            Binary("Add", [2, 3], [2, 3]),
            Binary("Sub", [2, 3], [3]),
            Binary("Mul", [4, 1], [1, 5]),
            Binary("Div", [2, 3, 4], [4]),
            Pool("MaxPool_2x2_Stride2", "MaxPool", [1, 2, 8, 8], OnnxAttribute.FromInts("kernel_shape", 2, 2), OnnxAttribute.FromInts("strides", 2, 2), OnnxAttribute.FromInts("pads", 0, 0, 0, 0)),
            Pool("MaxPool_3x3_Stride2_SameUpper", "MaxPool", [1, 2, 9, 9], OnnxAttribute.FromInts("kernel_shape", 3, 3), OnnxAttribute.FromInts("strides", 2, 2), OnnxAttribute.FromString("auto_pad", "SAME_UPPER")),
            Pool("AveragePool_3x3_Pads1", "AveragePool", [1, 2, 6, 6], OnnxAttribute.FromInts("kernel_shape", 3, 3), OnnxAttribute.FromInts("pads", 1, 1, 1, 1)),
            Pool("AveragePool_3x3_Pads1_IncludePad", "AveragePool", [1, 2, 6, 6], OnnxAttribute.FromInts("kernel_shape", 3, 3), OnnxAttribute.FromInts("pads", 1, 1, 1, 1), OnnxAttribute.FromInt("count_include_pad", 1)),
            Unary("GlobalAveragePool", [2, 3, 5, 4]),
            new OpCase(
                "BatchNormalization",
                new OnnxNode("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"]) { Attributes = [OnnxAttribute.FromFloat("epsilon", 1e-3f)] },
                [("x", [2, 3, 4, 4])],
                [Tensor("s", [3], 1), Tensor("b", [3], 2), Tensor("m", [3], 3), OnnxTensor.FromFloats("v", [3], [0.5f, 1f, 2f])]),
            new OpCase(
                "Gemm_TransB_AlphaBeta",
                new OnnxNode("Gemm", ["x", "w", "c"], ["y"]) { Attributes = [OnnxAttribute.FromInt("transB", 1), OnnxAttribute.FromFloat("alpha", 0.5f), OnnxAttribute.FromFloat("beta", 2f)] },
                [("x", [3, 6])],
                [Tensor("w", [4, 6], 4), Tensor("c", [4], 5)]),
            new OpCase(
                "Gemm_AlphaBeta_ScalarC",
                new OnnxNode("Gemm", ["x", "w", "c"], ["y"]) { Attributes = [OnnxAttribute.FromFloat("alpha", 1.5f), OnnxAttribute.FromFloat("beta", -0.5f)] },
                [("x", [2, 5])],
                [Tensor("w", [5, 3], 6), Tensor("c", [], 7)]),
            new OpCase("MatMul_Batched", new OnnxNode("MatMul", ["a", "b"], ["y"]), [("a", [2, 3, 4]), ("b", [4, 5])], []),
            Unary("Softmax", [2, 7], OnnxAttribute.FromInt("axis", 1)),
            Unary("Softmax", [2, 3, 4]),
            new OpCase("Softmax_Opset11_Axis1", new OnnxNode("Softmax", ["x"], ["y"]) { Attributes = [OnnxAttribute.FromInt("axis", 1)] }, [("x", [2, 3, 4])], [], Opset: 11),
            new OpCase("Reshape_ZeroAndMinusOne", new OnnxNode("Reshape", ["x", "shape"], ["y"]), [("x", [2, 3, 4])], [OnnxTensor.FromInt64s("shape", [3], [0, -1, 2])]),
            Unary("Flatten", [2, 3, 4, 5], OnnxAttribute.FromInt("axis", 2)),
            Unary("Transpose", [1, 3, 4, 5], OnnxAttribute.FromInts("perm", 0, 2, 3, 1)),
            new OpCase("Concat_Axis1", new OnnxNode("Concat", ["a", "b"], ["y"]) { Attributes = [OnnxAttribute.FromInt("axis", 1)] }, [("a", [2, 3, 4]), ("b", [2, 1, 4])], []),
            new OpCase("ConstantOfShape_Default", new OnnxNode("ConstantOfShape", ["shape"], ["y"]), [], [OnnxTensor.FromInt64s("shape", [4], [1, 24, 4, 4])]),
            new OpCase(
                "ConstantOfShape_Value",
                new OnnxNode("ConstantOfShape", ["shape"], ["y"]) { Attributes = [OnnxAttribute.FromTensor("value", OnnxTensor.FromFloats("value", [1], [1.5f]))] },
                [],
                [OnnxTensor.FromInt64s("shape", [2], [2, 3])]),
            new OpCase(
                "Pad_Constant",
                new OnnxNode("Pad", ["x", "pads", "value"], ["y"]),
                [("x", [1, 2, 3, 3])],
                [OnnxTensor.FromInt64s("pads", [8], [0, 1, 1, 0, 0, 2, 0, 1]), OnnxTensor.FromFloats("value", [], [0.75f])]),
            new OpCase("Squeeze_Axes", new OnnxNode("Squeeze", ["x", "axes"], ["y"]), [("x", [1, 3, 1, 2])], [OnnxTensor.FromInt64s("axes", [2], [0, -2])]),
            new OpCase("Unsqueeze_Axes", new OnnxNode("Unsqueeze", ["x", "axes"], ["y"]), [("x", [3, 2])], [OnnxTensor.FromInt64s("axes", [2], [0, 3])]),
            new OpCase(
                "Constant",
                new OnnxNode("Constant", [], ["y"]) { Attributes = [OnnxAttribute.FromTensor("value", Tensor("value", [2, 2], 6))] },
                [],
                []),
        ];
    }

    private static OnnxTensor Tensor(string name, int[] shape, int seed)
    {
        long[] dims = [.. shape.Select(d => (long)d)];
        return OnnxTensor.FromFloats(name, dims, TestGraphs.Random(shape.Aggregate(1, (a, b) => a * b), seed));
    }

    private static OpCase Conv(string name, int[] x, int[] w, bool bias, params OnnxAttribute[] attributes)
    {
        OnnxTensor[] initializers = bias ? [Tensor("w", w, 7), Tensor("b", [w[0]], 8)] : [Tensor("w", w, 7)];
        string[] inputs = bias ? ["x", "w", "b"] : ["x", "w"];
        return new OpCase(name, new OnnxNode("Conv", inputs, ["y"]) { Attributes = [.. attributes] }, [("x", x)], initializers);
    }

    private static OpCase Unary(string op, int[] x, params OnnxAttribute[] attributes)
    {
        string name = attributes.Length == 0 ? op : $"{op}_{string.Join("_", attributes.Select(a => a.Name))}_{string.Join("x", x)}";
        return new OpCase(name, new OnnxNode(op, ["x"], ["y"]) { Attributes = [.. attributes] }, [("x", x)], []);
    }

    private static OpCase Binary(string op, int[] a, int[] b)
    {
        return new OpCase($"{op}_{string.Join("x", a)}_{string.Join("x", b)}", new OnnxNode(op, ["a", "b"], ["y"]), [("a", a), ("b", b)], []);
    }

    private static OpCase Pool(string name, string op, int[] x, params OnnxAttribute[] attributes)
    {
        return new OpCase(name, new OnnxNode(op, ["x"], ["y"]) { Attributes = [.. attributes] }, [("x", x)], []);
    }
}
