using InMood.Onnx.Model;

namespace InMood.Onnx.Execution;

/// <summary>Checked access to a node's input values; failures name the node, the input and what was expected.</summary>
internal static class NodeArgs
{
    /// <summary>Input <paramref name="index"/> as a float tensor, optionally of rank <paramref name="rank"/>.</summary>
    public static OnnxValue Float(OnnxNode node, OnnxValue?[] inputs, int index, int rank = -1)
    {
        OnnxValue value = Required(node, inputs, index);
        if (!value.IsFloat || (rank >= 0 && value.Shape.Length != rank))
        {
            string expected = rank >= 0 ? $"a rank-{rank} float tensor" : "a float tensor";
            throw new InvalidDataException($"Node {node.Label}: input {index} '{node.Inputs[index]}' is {value}; expected {expected}.");
        }

        return value;
    }

    /// <summary>Input <paramref name="index"/> as int64 values (a shape, axes or pads tensor).</summary>
    public static long[] Int64s(OnnxNode node, OnnxValue?[] inputs, int index)
    {
        OnnxValue value = Required(node, inputs, index);
        return value.Int64s ?? throw new InvalidDataException($"Node {node.Label}: input {index} '{node.Inputs[index]}' is {value}; expected an int64 tensor.");
    }

    /// <summary>Input <paramref name="index"/>, or null when the optional input is omitted.</summary>
    public static OnnxValue? Optional(OnnxValue?[] inputs, int index) => index < inputs.Length ? inputs[index] : null;

    /// <summary>Input <paramref name="index"/>, which must be present.</summary>
    public static OnnxValue Required(OnnxNode node, OnnxValue?[] inputs, int index)
    {
        return Optional(inputs, index) ?? throw new InvalidDataException($"Node {node.Label}: input {index} is required but missing.");
    }

    /// <summary>Normalises a possibly negative axis into [0, rank).</summary>
    public static int Axis(OnnxNode node, long axis, int rank)
    {
        long normalised = axis < 0 ? axis + rank : axis;
        if (normalised < 0 || normalised >= rank)
        {
            throw new InvalidDataException($"Node {node.Label}: axis {axis} is out of range for rank {rank}.");
        }

        return (int)normalised;
    }

    /// <summary>Row-major strides of a shape.</summary>
    public static int[] Strides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        int stride = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= shape[i];
        }

        return strides;
    }
}
