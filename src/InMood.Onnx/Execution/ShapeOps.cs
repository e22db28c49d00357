using InMood.Onnx.Model;

namespace InMood.Onnx.Execution;

/// <summary>
/// Ops that move or create data without arithmetic: Reshape, Flatten, Squeeze, Unsqueeze
/// (same elements, new shape), Transpose, Concat, Pad (constant mode), ConstantOfShape, Constant.
/// They work on float and int64 tensors alike, so shape subgraphs fold through them.
/// </summary>
internal static class ShapeOps
{
    /// <summary>Reshape: shape input with 0 = copy the input dim and -1 = infer (allowzero = 0).</summary>
    public static OnnxValue Reshape(OnnxNode node, OnnxValue?[] inputs)
    {
        OnnxValue x = NodeArgs.Required(node, inputs, 0);
        long[] request = NodeArgs.Int64s(node, inputs, 1);
        var shape = new int[request.Length];
        int infer = -1;
        long known = 1;
        for (int i = 0; i < request.Length; i++)
        {
            if (request[i] == -1 && infer < 0)
            {
                infer = i;
                continue;
            }

            long dim = request[i] == 0 && i < x.Shape.Length ? x.Shape[i] : request[i];
            if (dim < 0)
            {
                throw new InvalidDataException($"Node {node.Label}: shape [{string.Join(", ", request)}] has an invalid dim {request[i]}.");
            }

            shape[i] = checked((int)dim);
            known = checked(known * dim);
        }

        if (infer >= 0)
        {
            shape[infer] = known == 0 ? 0 : (int)(x.Length / known);
        }

        return WithShape(node, x, shape);
    }

    /// <summary>Flatten: [d0..d(axis-1), d(axis)..] -> [prod(d0..d(axis-1)), prod(d(axis)..)].</summary>
    public static OnnxValue Flatten(OnnxNode node, OnnxValue?[] inputs)
    {
        OnnxValue x = NodeArgs.Required(node, inputs, 0);
        long axisAttribute = node.GetInt("axis", 1);
        int axis = axisAttribute == x.Shape.Length ? x.Shape.Length : NodeArgs.Axis(node, axisAttribute, x.Shape.Length);
        int outer = OnnxValue.SizeOf(x.Shape.AsSpan(0, axis));
        return WithShape(node, x, [outer, x.Length / Math.Max(outer, 1)]);
    }

    /// <summary>Squeeze: removes the listed size-1 axes (input 1 since opset 13, else attribute), or all size-1 axes.</summary>
    public static OnnxValue Squeeze(OnnxNode node, OnnxValue?[] inputs, long opset)
    {
        OnnxValue x = NodeArgs.Required(node, inputs, 0);
        long[]? axes = opset >= 13 ? (NodeArgs.Optional(inputs, 1) is null ? null : NodeArgs.Int64s(node, inputs, 1)) : node.GetInts("axes");
        var drop = new bool[x.Shape.Length];
        for (int i = 0; i < drop.Length; i++)
        {
            drop[i] = axes is null && x.Shape[i] == 1;
        }

        foreach (long axis in axes ?? [])
        {
            int a = NodeArgs.Axis(node, axis, x.Shape.Length);
            if (x.Shape[a] != 1)
            {
                throw new InvalidDataException($"Node {node.Label}: cannot squeeze axis {axis} of size {x.Shape[a]}.");
            }

            drop[a] = true;
        }

        return WithShape(node, x, [.. x.Shape.Where((_, i) => !drop[i])]);
    }

    /// <summary>Unsqueeze: inserts size-1 axes at the listed output positions (input 1 since opset 13, else attribute).</summary>
    public static OnnxValue Unsqueeze(OnnxNode node, OnnxValue?[] inputs, long opset)
    {
        OnnxValue x = NodeArgs.Required(node, inputs, 0);
        long[] axes = opset >= 13 ? NodeArgs.Int64s(node, inputs, 1) : node.GetInts("axes") ?? [];
        int rank = x.Shape.Length + axes.Length;
        var insert = new bool[rank];
        foreach (long axis in axes)
        {
            insert[NodeArgs.Axis(node, axis, rank)] = true;
        }

        var shape = new int[rank];
        for (int i = 0, j = 0; i < rank; i++)
        {
            shape[i] = insert[i] ? 1 : x.Shape[j++];
        }

        return WithShape(node, x, shape);
    }

    /// <summary>Transpose: y[i_perm[0], ..] = x[i_0, ..]; y.shape[k] = x.shape[perm[k]] (perm defaults to reversed axes).</summary>
    public static OnnxValue Transpose(OnnxNode node, OnnxValue?[] inputs)
    {
        OnnxValue x = NodeArgs.Required(node, inputs, 0);
        int rank = x.Shape.Length;
        long[] perm = node.GetInts("perm") ?? [.. Enumerable.Range(0, rank).Reverse().Select(i => (long)i)];
        if (perm.Length != rank || perm.Distinct().Count() != rank || perm.Any(p => p < 0 || p >= rank))
        {
            throw new InvalidDataException($"Node {node.Label}: perm [{string.Join(", ", perm)}] is not a permutation of {rank} axes.");
        }

        int[] inStrides = NodeArgs.Strides(x.Shape);
        int[] shape = [.. perm.Select(p => x.Shape[p])];
        int[] strides = [.. perm.Select(p => inStrides[p])];
        var index = new int[rank];
        var source = new int[x.Length];
        for (int i = 0; i < source.Length; i++)
        {
            int offset = 0;
            for (int d = 0; d < rank; d++)
            {
                offset += index[d] * strides[d];
            }

            source[i] = offset;
            for (int d = rank - 1; d >= 0 && ++index[d] == shape[d]; d--)
            {
                index[d] = 0;
            }
        }

        return Gather(x, shape, source);
    }

    /// <summary>Concat along <c>axis</c>: all inputs agree on every other dim.</summary>
    public static OnnxValue Concat(OnnxNode node, OnnxValue?[] inputs)
    {
        OnnxValue first = NodeArgs.Required(node, inputs, 0);
        int rank = first.Shape.Length;
        int axis = NodeArgs.Axis(node, node.GetInt("axis", 0), rank);
        int[] shape = [.. first.Shape];
        shape[axis] = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            OnnxValue part = NodeArgs.Required(node, inputs, i);
            for (int d = 0; d < rank; d++)
            {
                if (part.IsFloat != first.IsFloat || part.Shape.Length != rank || (d != axis && part.Shape[d] != first.Shape[d]))
                {
                    throw new InvalidDataException($"Node {node.Label}: input {i} is {part}; it must match {first} on every axis but {axis}.");
                }
            }

            shape[axis] += part.Shape[axis];
        }

        int outer = OnnxValue.SizeOf(shape.AsSpan(0, axis));
        int inner = OnnxValue.SizeOf(shape.AsSpan(axis + 1));
        var source = new List<int>(OnnxValue.SizeOf(shape));
        var parts = new List<int>(source.Capacity);
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inputs.Length; i++)
            {
                int block = inputs[i]!.Shape[axis] * inner;
                for (int k = 0; k < block; k++)
                {
                    source.Add((o * block) + k);
                    parts.Add(i);
                }
            }
        }

        if (first.IsFloat)
        {
            return OnnxValue.FromFloats(shape, [.. source.Select((s, k) => inputs[parts[k]]!.Floats![s])]);
        }

        return OnnxValue.FromInt64s(shape, [.. source.Select((s, k) => inputs[parts[k]]!.Int64s![s])]);
    }

    /// <summary>Pad in constant mode: pads input [x1_begin, x2_begin, .., x1_end, x2_end], constant_value input (default 0).</summary>
    public static OnnxValue Pad(OnnxNode node, OnnxValue?[] inputs)
    {
        OnnxValue x = NodeArgs.Float(node, inputs, 0);
        string mode = node.GetString("mode", "constant");
        if (mode != "constant")
        {
            throw new NotSupportedException($"Node {node.Label}: Pad mode '{mode}' is not supported; only 'constant'.");
        }

        long[] pads = NodeArgs.Int64s(node, inputs, 1);
        int rank = x.Shape.Length;
        if (pads.Length != 2 * rank || pads.Any(p => p < 0))
        {
            throw new InvalidDataException($"Node {node.Label}: pads [{string.Join(", ", pads)}] must be {2 * rank} non-negative values.");
        }

        float fill = NodeArgs.Optional(inputs, 2)?.Floats?[0] ?? 0f;
        int[] shape = [.. x.Shape.Select((d, i) => d + (int)pads[i] + (int)pads[i + rank])];
        var y = new float[OnnxValue.SizeOf(shape)];
        Array.Fill(y, fill);
        int[] outStrides = NodeArgs.Strides(shape);
        var index = new int[rank];
        for (int i = 0; i < x.Length; i++)
        {
            int offset = 0;
            for (int d = 0; d < rank; d++)
            {
                offset += (index[d] + (int)pads[d]) * outStrides[d];
            }

            y[offset] = x.Floats![i];
            for (int d = rank - 1; d >= 0 && ++index[d] == x.Shape[d]; d--)
            {
                index[d] = 0;
            }
        }

        return OnnxValue.FromFloats(shape, y);
    }

    /// <summary>ConstantOfShape: a tensor of the input shape filled with the one-element <c>value</c> (default float 0).</summary>
    public static OnnxValue ConstantOfShape(OnnxNode node, OnnxValue?[] inputs)
    {
        int[] shape = [.. NodeArgs.Int64s(node, inputs, 0).Select(d => checked((int)d))];
        OnnxTensor? value = node.GetTensor("value");
        int size = OnnxValue.SizeOf(shape);
        if (value is null || value.DataType == OnnxDataType.Float)
        {
            var y = new float[size];
            Array.Fill(y, value?.FloatData![0] ?? 0f);
            return OnnxValue.FromFloats(shape, y);
        }

        var ints = new long[size];
        Array.Fill(ints, OnnxValue.FromTensor(value).Int64s![0]);
        return OnnxValue.FromInt64s(shape, ints);
    }

    /// <summary>Constant: the <c>value</c> tensor attribute.</summary>
    public static OnnxValue Constant(OnnxNode node)
    {
        OnnxTensor value = node.GetTensor("value") ?? throw new NotSupportedException($"Node {node.Label}: only Constant with a 'value' tensor is supported.");
        return OnnxValue.FromTensor(value);
    }

    private static OnnxValue WithShape(OnnxNode node, OnnxValue x, int[] shape)
    {
        if (OnnxValue.SizeOf(shape) != x.Length)
        {
            throw new InvalidDataException($"Node {node.Label}: cannot view {x} as [{string.Join(", ", shape)}].");
        }

        return x.IsFloat ? OnnxValue.FromFloats(shape, x.Floats!) : OnnxValue.FromInt64s(shape, x.Int64s!);
    }

    private static OnnxValue Gather(OnnxValue x, int[] shape, int[] source)
    {
        if (x.IsFloat)
        {
            return OnnxValue.FromFloats(shape, [.. source.Select(s => x.Floats![s])]);
        }

        return OnnxValue.FromInt64s(shape, [.. source.Select(s => x.Int64s![s])]);
    }
}
