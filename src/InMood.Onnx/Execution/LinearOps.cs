using System.Numerics.Tensors;
using InMood.Engine.Gemm;
using InMood.Onnx.Model;

namespace InMood.Onnx.Execution;

/// <summary>Gemm, MatMul, Softmax and inference-mode BatchNormalization.</summary>
internal static class LinearOps
{
    /// <summary>
    /// Y = alpha A' B' + beta C, A' = transA ? A^T : A, B' likewise.
    /// Shapes: A' [M, K], B' [K, N], C broadcastable to [M, N], Y [M, N].
    /// </summary>
    public static OnnxValue Gemm(OnnxNode node, OnnxValue?[] inputs)
    {
        OnnxValue a = NodeArgs.Float(node, inputs, 0, rank: 2);
        OnnxValue b = NodeArgs.Float(node, inputs, 1, rank: 2);
        OnnxValue? c = NodeArgs.Optional(inputs, 2);
        bool transA = node.GetInt("transA", 0) != 0, transB = node.GetInt("transB", 0) != 0;
        float alpha = node.GetFloat("alpha", 1f), beta = node.GetFloat("beta", 1f);
        int m = transA ? a.Shape[1] : a.Shape[0], k = transA ? a.Shape[0] : a.Shape[1];
        int n = transB ? b.Shape[0] : b.Shape[1], kb = transB ? b.Shape[1] : b.Shape[0];
        if (k != kb)
        {
            throw new InvalidDataException($"Node {node.Label}: A {a} and B {b} (transA {transA}, transB {transB}) disagree on K.");
        }

        var y = new float[m * n];
        Sgemm.Multiply(a.Floats, transA, b.Floats, transB, y, m, n, k, false, GemmKernels.Best);
        TensorPrimitives.Multiply(y, alpha, y);
        if (c is not null)
        {
            OnnxValue scaled = ElementwiseOps.Binary(new OnnxNode("Mul", ["c", "beta"], ["y"], node.Name), [c, OnnxValue.FromFloats([], [beta])]);
            OnnxValue sum = ElementwiseOps.Binary(new OnnxNode("Add", ["y", "c"], ["y"], node.Name), [OnnxValue.FromFloats([m, n], y), scaled]);
            return sum;
        }

        return OnnxValue.FromFloats([m, n], y);
    }

    /// <summary>
    /// MatMul for A [.., M, K] x B [K, N] -> [.., M, N] and equal-batch A [.., M, K] x B [.., K, N].
    /// </summary>
    public static OnnxValue MatMul(OnnxNode node, OnnxValue?[] inputs)
    {
        OnnxValue a = NodeArgs.Float(node, inputs, 0);
        OnnxValue b = NodeArgs.Float(node, inputs, 1);
        if (a.Shape.Length < 2 || b.Shape.Length < 2)
        {
            throw new NotSupportedException($"Node {node.Label}: MatMul of {a} and {b}: 1-D operands are not supported.");
        }

        int m = a.Shape[^2], k = a.Shape[^1], n = b.Shape[^1];
        int batch = OnnxValue.SizeOf(a.Shape.AsSpan(0, a.Shape.Length - 2));
        int bBatch = OnnxValue.SizeOf(b.Shape.AsSpan(0, b.Shape.Length - 2));
        if (b.Shape[^2] != k || (bBatch != 1 && !a.Shape.AsSpan(0, a.Shape.Length - 2).SequenceEqual(b.Shape.AsSpan(0, b.Shape.Length - 2))))
        {
            throw new NotSupportedException($"Node {node.Label}: MatMul of {a} and {b}: only matching K and equal or absent batch dims are supported.");
        }

        var y = new float[batch * m * n];
        for (int i = 0; i < batch; i++)
        {
            ReadOnlySpan<float> bi = b.Floats.AsSpan((bBatch == 1 ? 0 : i) * k * n, k * n);
            Sgemm.Multiply(a.Floats.AsSpan(i * m * k, m * k), false, bi, false, y.AsSpan(i * m * n, m * n), m, n, k, false, GemmKernels.Best);
        }

        return OnnxValue.FromFloats([.. a.Shape[..^1], n], y);
    }

    /// <summary>
    /// Softmax, max-subtracted. Opset 13+: over the single axis <c>axis</c> (default -1).
    /// Before 13: over the flattened dims from <c>axis</c> (default 1) on.
    /// </summary>
    public static OnnxValue Softmax(OnnxNode node, OnnxValue?[] inputs, long opset)
    {
        OnnxValue x = NodeArgs.Float(node, inputs, 0);
        int rank = x.Shape.Length;
        int axis = NodeArgs.Axis(node, node.GetInt("axis", opset >= 13 ? -1 : 1), rank);
        int outer = OnnxValue.SizeOf(x.Shape.AsSpan(0, axis));
        int length = opset >= 13 ? x.Shape[axis] : OnnxValue.SizeOf(x.Shape.AsSpan(axis));
        int inner = x.Length / Math.Max(outer * length, 1);
        var y = new float[x.Length];
        var row = new float[length];
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int origin = (o * length * inner) + i;
                for (int j = 0; j < length; j++)
                {
                    row[j] = x.Floats![origin + (j * inner)];
                }

                // NOTE: TensorPrimitives.SoftMax does not subtract the max; large logits would overflow.
                TensorPrimitives.Subtract(row, TensorPrimitives.Max(row), row);
                TensorPrimitives.Exp(row, row);
                TensorPrimitives.Divide(row, TensorPrimitives.Sum(row), row);
                for (int j = 0; j < length; j++)
                {
                    y[origin + (j * inner)] = row[j];
                }
            }
        }

        return OnnxValue.FromFloats(x.Shape, y);
    }

    /// <summary>
    /// Inference BatchNormalization: Y[n, c, ..] = scale[c] (X[n, c, ..] - mean[c]) / sqrt(var[c] + epsilon) + B[c].
    /// Shapes: X [N, C, ..], scale, B, mean, var [C].
    /// </summary>
    public static OnnxValue BatchNormalization(OnnxNode node, OnnxValue?[] inputs)
    {
        OnnxValue x = NodeArgs.Float(node, inputs, 0);
        float[] scale = NodeArgs.Float(node, inputs, 1, rank: 1).Floats!;
        float[] bias = NodeArgs.Float(node, inputs, 2, rank: 1).Floats!;
        float[] mean = NodeArgs.Float(node, inputs, 3, rank: 1).Floats!;
        float[] variance = NodeArgs.Float(node, inputs, 4, rank: 1).Floats!;
        float epsilon = node.GetFloat("epsilon", 1e-5f);
        int channels = x.Shape.Length > 1 ? x.Shape[1] : 1;
        if (scale.Length != channels || bias.Length != channels || mean.Length != channels || variance.Length != channels)
        {
            throw new InvalidDataException($"Node {node.Label}: scale, B, mean and var must each have {channels} values for X {x}.");
        }

        int inner = OnnxValue.SizeOf(x.Shape.AsSpan(Math.Min(2, x.Shape.Length)));
        var y = new float[x.Length];
        for (int start = 0, c = 0; start < y.Length; start += inner, c = (c + 1) % channels)
        {
            float factor = scale[c] / MathF.Sqrt(variance[c] + epsilon);
            float shift = bias[c] - (mean[c] * factor);
            Span<float> slice = y.AsSpan(start, inner);
            TensorPrimitives.Multiply(x.Floats.AsSpan(start, inner), factor, slice);
            TensorPrimitives.Add(slice, shift, slice);
        }

        return OnnxValue.FromFloats(x.Shape, y);
    }
}
