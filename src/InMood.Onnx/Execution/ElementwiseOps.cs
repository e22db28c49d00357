using System.Numerics.Tensors;
using InMood.Onnx.Model;

namespace InMood.Onnx.Execution;

/// <summary>
/// Element-wise ops. Unary: y[i] = f(x[i]), y has x's shape. Binary: numpy (multidirectional)
/// broadcasting, y[idx] = f(a[idx mod a.shape], b[idx mod b.shape]), y.shape = broadcast(a, b).
/// </summary>
internal static class ElementwiseOps
{
    public static OnnxValue Unary(OnnxNode node, OnnxValue?[] inputs)
    {
        OnnxValue x = NodeArgs.Float(node, inputs, 0);
        float[] xs = x.Floats!;
        var y = new float[xs.Length];
        switch (node.OpType)
        {
            case "Relu":
                TensorPrimitives.Max(xs, 0f, y);
                break;
            case "LeakyRelu":
                float alpha = node.GetFloat("alpha", 0.01f);
                for (int i = 0; i < xs.Length; i++)
                {
                    y[i] = xs[i] >= 0f ? xs[i] : alpha * xs[i];
                }

                break;
            case "Sigmoid":
                TensorPrimitives.Sigmoid(xs, y);
                break;
            case "Clip":
                float min = ScalarInput(node, inputs, 1, float.NegativeInfinity);
                float max = ScalarInput(node, inputs, 2, float.PositiveInfinity);
                TensorPrimitives.Min(xs, max, y);
                TensorPrimitives.Max(y, min, y);
                break;
            default:
                xs.CopyTo(y);
                break;
        }

        return OnnxValue.FromFloats(x.Shape, y);
    }

    public static OnnxValue Binary(OnnxNode node, OnnxValue?[] inputs)
    {
        OnnxValue a = NodeArgs.Float(node, inputs, 0);
        OnnxValue b = NodeArgs.Float(node, inputs, 1);
        int[] shape = BroadcastShape(node, a.Shape, b.Shape);
        var y = new float[OnnxValue.SizeOf(shape)];
        if (a.Shape.AsSpan().SequenceEqual(b.Shape))
        {
            Apply(node.OpType, a.Floats!, b.Floats!, y);
            return OnnxValue.FromFloats(shape, y);
        }

        int[] aStrides = BroadcastStrides(a.Shape, shape.Length);
        int[] bStrides = BroadcastStrides(b.Shape, shape.Length);
        var index = new int[shape.Length];
        float[] av = a.Floats!, bv = b.Floats!;
        for (int i = 0; i < y.Length; i++)
        {
            int ai = 0, bi = 0;
            for (int d = 0; d < shape.Length; d++)
            {
                ai += index[d] * aStrides[d];
                bi += index[d] * bStrides[d];
            }

            y[i] = Apply(node.OpType, av[ai], bv[bi]);
            for (int d = shape.Length - 1; d >= 0 && ++index[d] == shape[d]; d--)
            {
                index[d] = 0;
            }
        }

        return OnnxValue.FromFloats(shape, y);
    }

    /// <summary>The numpy broadcast of two shapes: right-aligned, each pair equal or one of them 1.</summary>
    public static int[] BroadcastShape(OnnxNode node, int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var shape = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
            {
                throw new InvalidDataException($"Node {node.Label}: shapes [{string.Join(", ", a)}] and [{string.Join(", ", b)}] do not broadcast.");
            }

            shape[i] = da == 1 ? db : da;
        }

        return shape;
    }

    /// <summary>Strides of <paramref name="shape"/> right-aligned to <paramref name="rank"/> dims, 0 where the dim broadcasts.</summary>
    public static int[] BroadcastStrides(int[] shape, int rank)
    {
        int[] own = NodeArgs.Strides(shape);
        var strides = new int[rank];
        for (int i = 0; i < shape.Length; i++)
        {
            strides[rank - shape.Length + i] = shape[i] == 1 ? 0 : own[i];
        }

        return strides;
    }

    private static void Apply(string op, float[] a, float[] b, float[] y)
    {
        switch (op)
        {
            case "Add":
                TensorPrimitives.Add(a, b, y);
                break;
            case "Sub":
                TensorPrimitives.Subtract(a, b, y);
                break;
            case "Mul":
                TensorPrimitives.Multiply(a, b, y);
                break;
            default:
                TensorPrimitives.Divide(a, b, y);
                break;
        }
    }

    private static float Apply(string op, float a, float b) => op switch
    {
        "Add" => a + b,
        "Sub" => a - b,
        "Mul" => a * b,
        _ => a / b,
    };

    private static float ScalarInput(OnnxNode node, OnnxValue?[] inputs, int index, float fallback)
    {
        OnnxValue? value = NodeArgs.Optional(inputs, index);
        if (value is null)
        {
            return fallback;
        }

        if (!value.IsFloat || value.Length != 1)
        {
            throw new InvalidDataException($"Node {node.Label}: input {index} is {value}; expected a float scalar.");
        }

        return value.Floats![0];
    }
}
