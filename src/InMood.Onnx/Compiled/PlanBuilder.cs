using InMood.Onnx.Execution;
using InMood.Onnx.Model;

namespace InMood.Onnx.Compiled;

/// <summary>
/// Lowers an ONNX graph, for one input shape, onto compiled steps: infers every shape, folds
/// constant subgraphs with the reference ops, folds BatchNormalization into the preceding Conv,
/// fuses Conv + Relu and Conv + Add (+ Relu) (reading a channel zero-padding Concat's input
/// directly), lets the first Conv read the NHWC graph input in place of its Transpose, turns
/// Reshape-like ops into aliases, drops steps nothing reads, and places values in one arena.
/// </summary>
internal sealed class PlanBuilder
{
    private static readonly HashSet<string> s_aliasOps = new(StringComparer.Ordinal) { "Identity", "Reshape", "Flatten", "Squeeze", "Unsqueeze" };
    private readonly OnnxModel _model;
    private readonly int _batch;
    private readonly Dictionary<string, OnnxValue> _constants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<OnnxNode>> _consumers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _graphOutputs;
    private readonly HashSet<OnnxNode> _fused = [];
    private readonly Dictionary<string, Slot> _nhwcViews = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Slot> _zeroPadded = new(StringComparer.Ordinal);
    private readonly List<float[]> _constantData = [];
    private readonly List<Step> _steps = [];
    private readonly List<int> _batchedLengths = [];

    public PlanBuilder(OnnxModel model, int batch)
    {
        _model = model;
        _batch = batch;
        _graphOutputs = new HashSet<string>(model.Graph.Outputs.Select(o => o.Name), StringComparer.Ordinal);
    }

    public Slot Input { get; private set; } = null!;

    public Slot[] Outputs { get; private set; } = [];

    public IReadOnlyList<Step> Steps => _steps;

    public IReadOnlyList<float[]> ConstantData => _constantData;

    public int ArenaFloats { get; private set; }

    public int ScratchFloats { get; private set; }

    /// <summary>
    /// The step a batch of several images runs once for all of them: the first dense layer with at least
    /// <see cref="GemmStep.BatchedWeights"/> weights (FerVgg's 2304 -> 256 fc1), or -1. Steps before it run image
    /// by image, then it runs, then the steps after it run image by image.
    /// </summary>
    public int BatchedGemm { get; private set; } = -1;

    /// <summary>Floats per image of each <see cref="SlotKind.Batched"/> value, by slot index.</summary>
    public IReadOnlyList<int> BatchedLengths => _batchedLengths;

    public void Build()
    {
        var executor = new OnnxExecutor(_model);
        foreach (OnnxTensor tensor in _model.Graph.Initializers)
        {
            _constants[tensor.Name] = OnnxValue.FromTensor(tensor);
        }

        foreach (OnnxNode node in executor.Order)
        {
            foreach (string input in node.Inputs)
            {
                if (!_consumers.TryGetValue(input, out List<OnnxNode>? list))
                {
                    _consumers[input] = list = [];
                }

                list.Add(node);
            }
        }

        BindInput();
        foreach (OnnxNode node in executor.Order)
        {
            if (!_fused.Contains(node))
            {
                Lower(node);
            }
        }

        BindOutputs();
        RemoveDeadSteps();
        FuseSeparableConvs();
        PlanBatchedGemm();
        PlaceArena();
        ScratchFloats = _steps.Count == 0 ? 0 : _steps.Max(s => s.ScratchFloats);
    }

    private void BindInput()
    {
        OnnxValueInfo[] inputs = [.. _model.Graph.Inputs.Where(i => !_constants.ContainsKey(i.Name))];
        if (inputs.Length != 1 || inputs[0].ElementType != OnnxDataType.Float || inputs[0].Shape is not { Count: >= 1 } dims)
        {
            throw new NotSupportedException($"The compiled path runs models with one float input of known rank; this model has {string.Join(", ", inputs.Select(i => i.ToString()))}.");
        }

        if (dims[0].Value is long fixedBatch && fixedBatch != _batch)
        {
            throw new ArgumentException($"input '{inputs[0].Name}' fixes the batch at {fixedBatch}; a batch of {_batch} was requested.");
        }

        int[] shape = new int[dims.Count];
        shape[0] = 1;
        for (int i = 1; i < dims.Count; i++)
        {
            shape[i] = dims[i].Value is long d && d > 0 ? checked((int)d)
                : throw new NotSupportedException($"Input '{inputs[0].Name}' dim {i} is '{dims[i]}'; the compiled path needs every dim but the batch to be known.");
        }

        Input = new Slot(inputs[0].Name, shape) { Kind = SlotKind.Input };
        _slots[Input.Name] = Input;
    }

    private void Lower(OnnxNode node)
    {
        string output = node.Outputs[0];
        if (node.OpType == "Constant" || node.Inputs.All(i => i.Length == 0 || _constants.ContainsKey(i)))
        {
            OnnxValue?[] args = [.. node.Inputs.Select(i => i.Length == 0 ? null : _constants[i])];
            _constants[output] = OnnxExecutor.Execute(node, args, _model.Opset);
            return;
        }

        switch (node.OpType)
        {
            case "Conv":
                LowerConv(node);
                break;
            case "Relu":
                _steps.Add(new ElementwiseStep(StepName(node), [SlotOf(node, 0)], NewSlot(output, SlotOf(node, 0).Shape), relu: true));
                break;
            case "Add":
                LowerAdd(node);
                break;
            case "MaxPool":
                LowerMaxPool(node);
                break;
            case "GlobalAveragePool":
                Slot gx = Rank4(node, 0);
                _steps.Add(new GlobalAveragePoolStep(StepName(node), gx, NewSlot(output, [1, gx.Channels, 1, 1])));
                break;
            case "Softmax":
                LowerSoftmax(node);
                break;
            case "Gemm":
                LowerGemm(node);
                break;
            case "Transpose":
                LowerTranspose(node);
                break;
            case "Concat":
                LowerConcat(node);
                break;
            case string op when s_aliasOps.Contains(op):
                LowerAlias(node);
                break;
            default:
                throw new NotSupportedException($"Node {node.Label}: op {node.OpType} has no compiled kernel (run the model with OnnxExecutor).");
        }
    }

    private void LowerConv(OnnxNode node)
    {
        Slot x = Rank4(node, 0);
        bool nhwc = _nhwcViews.TryGetValue(node.Inputs[0], out Slot? nhwcInput);
        OnnxValue w = ConstantOf(node, 1);
        int m = w.Shape[0], kh = w.Shape[2], kw = w.Shape[3];
        int groups = (int)node.GetInt("group", 1);
        Window2d window = Window2d.Resolve(node, kh, kw, x.Height, x.Width);
        float[] weight = w.Floats!;
        float[] bias = node.Inputs.Count > 2 && node.Inputs[2].Length > 0 ? ConstantOf(node, 2).Floats! : new float[m];
        if (w.Shape.Length != 4 || x.Channels != w.Shape[1] * groups)
        {
            throw new InvalidDataException($"Node {node.Label}: X [{string.Join(", ", x.Shape)}] and W [{string.Join(", ", w.Shape)}] do not fit group {groups}.");
        }

        bool depthwise = groups > 1 && groups == x.Channels && m == groups;
        if (groups != 1 && !depthwise)
        {
            throw new NotSupportedException($"Node {node.Label}: grouped Conv with group {groups} (neither 1 nor depthwise) has no compiled kernel.");
        }

        string name = StepName(node);
        string result = node.Outputs[0];
        if (Single(result, "BatchNormalization") is { } bn && bn.Inputs.Skip(1).All(_constants.ContainsKey))
        {
            // NOTE: W and b are the model's own initializers (the steps copy what they keep); folding rewrites copies.
            weight = (float[])weight.Clone();
            bias = (float[])bias.Clone();
            FoldBatchNorm(bn, weight, bias);
            _fused.Add(bn);
            result = bn.Outputs[0];
            name += "+" + bn.Name;
        }

        Slot? residual = depthwise ? null : FuseResidualAdd(ref result, ref name, m, window);

        bool relu = false;
        if (Single(result, "Relu") is { } reluNode)
        {
            relu = true;
            _fused.Add(reluNode);
            result = reluNode.Outputs[0];
            name += "+" + reluNode.Name;
        }

        if (!depthwise && !nhwc && residual is null && !relu && ConvGlobalAverageStep.Applies(m, x) && Single(result, "GlobalAveragePool") is { } gap)
        {
            _fused.Add(gap);
            _steps.Add(new ConvGlobalAverageStep(name + "+" + StepName(gap), x, NewSlot(gap.Outputs[0], [1, m, 1, 1]), weight, bias, window));
            return;
        }

        Slot y = NewSlot(result, [1, m, window.OutHeight, window.OutWidth]);
        if (depthwise)
        {
            _steps.Add(new WindowStep(name, x, y, window, weight, bias, relu));
        }
        else
        {
            bool pointwise = kh == 1 && kw == 1 && window.StrideHeight == 1 && window.StrideWidth == 1 && window.PadTop + window.PadLeft + window.PadBottom + window.PadRight == 0;
            bool readNhwc = nhwc && !pointwise && window.DilationHeight == 1 && window.DilationWidth == 1;
            if (!nhwc && WinogradConvStep.Applies(x.Channels, m, window))
            {
                _steps.Add(new WinogradConvStep(name, x, y, weight, bias, window, residual, relu));
                return;
            }

            _steps.Add(new ConvStep(name, readNhwc ? nhwcInput! : x, y, weight, bias, window, readNhwc, residual, relu));
        }
    }

    /// <summary>W'[m] = W[m] s[m] / sqrt(v[m] + eps), b'[m] = (b[m] - mean[m]) s[m] / sqrt(v[m] + eps) + B[m].</summary>
    private void FoldBatchNorm(OnnxNode bn, float[] weight, float[] bias)
    {
        float[] scale = ConstantOf(bn, 1).Floats!, shift = ConstantOf(bn, 2).Floats!, mean = ConstantOf(bn, 3).Floats!, variance = ConstantOf(bn, 4).Floats!;
        float epsilon = bn.GetFloat("epsilon", 1e-5f);
        int m = bias.Length, k = weight.Length / m;
        for (int o = 0; o < m; o++)
        {
            float factor = scale[o] / MathF.Sqrt(variance[o] + epsilon);
            for (int i = 0; i < k; i++)
            {
                weight[(o * k) + i] *= factor;
            }

            bias[o] = ((bias[o] - mean[o]) * factor) + shift[o];
        }
    }

    /// <summary>
    /// Folds the Add that alone reads <paramref name="result"/> into the step that writes it, when
    /// <see cref="ResidualOf"/> finds its other operand: returns that operand and moves <paramref name="result"/> and
    /// <paramref name="name"/> past the Add; null, and nothing changed, otherwise.
    /// </summary>
    private Slot? FuseResidualAdd(ref string result, ref string name, int channels, Window2d window)
    {
        if (Single(result, "Add") is not { } add || ResidualOf(add, result, channels, window) is not { } residual)
        {
            return null;
        }

        _fused.Add(add);
        result = add.Outputs[0];
        name += "+" + add.Name;
        return residual;
    }

    /// <summary>The other operand of <paramref name="add"/> when it is already computed and fits the output of the conv or pool with <paramref name="window"/> (possibly as the unpadded input of a channel zero-padding Concat).</summary>
    private Slot? ResidualOf(OnnxNode add, string output, int channels, Window2d window)
    {
        if (add.Inputs.Count != 2 || add.Inputs[0] == add.Inputs[1])
        {
            return null;
        }

        string other = add.Inputs[0] == output ? add.Inputs[1] : add.Inputs[0];
        Slot? slot = _zeroPadded.TryGetValue(other, out Slot? unpadded) ? unpadded : _slots.GetValueOrDefault(other);
        bool fits = slot is { Shape.Length: 4 } && slot.Channels <= channels && slot.Height == window.OutHeight && slot.Width == window.OutWidth
            && (slot == unpadded || slot.Channels == channels);
        return fits ? slot : null;
    }

    private void LowerAdd(OnnxNode node)
    {
        Slot a = SlotOf(node, 0), b = SlotOf(node, 1);
        if (!a.Shape.SequenceEqual(b.Shape))
        {
            throw new NotSupportedException($"Node {node.Label}: Add of [{string.Join(", ", a.Shape)}] and [{string.Join(", ", b.Shape)}] (broadcasting) has no compiled kernel.");
        }

        string result = node.Outputs[0];
        bool relu = false;
        if (Single(result, "Relu") is { } reluNode)
        {
            relu = true;
            _fused.Add(reluNode);
            result = reluNode.Outputs[0];
        }

        _steps.Add(new ElementwiseStep(StepName(node), [a, b], NewSlot(result, a.Shape), relu));
    }

    private void LowerMaxPool(OnnxNode node)
    {
        Slot x = Rank4(node, 0);
        long[] kernel = node.GetInts("kernel_shape") ?? throw new InvalidDataException($"Node {node.Label}: kernel_shape is required.");
        if (kernel.Length != 2 || node.GetInt("storage_order", 0) != 0)
        {
            throw new NotSupportedException($"Node {node.Label}: only 2-D MaxPool with storage_order 0 is compiled.");
        }

        Window2d window = Window2d.Resolve(node, (int)kernel[0], (int)kernel[1], x.Height, x.Width);
        int[] shape = [1, x.Channels, window.OutHeight, window.OutWidth];
        string name = StepName(node), result = node.Outputs[0];

        // NOTE: big_XCEPTION's shortcut conv runs before the pool, so its Add folds into the pool, not the conv.
        Slot? residual = FuseResidualAdd(ref result, ref name, x.Channels, window);
        _steps.Add(new WindowStep(name, x, NewSlot(result, shape), window, null, null, relu: false, residual));
    }

    /// <summary>Gemm of a [batch, K] value with constant B and C: alpha and transB go into W [N, K], beta into the bias.</summary>
    private void LowerGemm(OnnxNode node)
    {
        Slot x = SlotOf(node, 0);
        OnnxValue b = ConstantOf(node, 1);
        bool transB = node.GetInt("transB", 0) != 0;
        if (node.GetInt("transA", 0) != 0 || x.Shape.Length != 2 || b.Shape.Length != 2)
        {
            throw new NotSupportedException($"Node {node.Label}: Gemm of [{string.Join(", ", x.Shape)}] by [{string.Join(", ", b.Shape)}] with transA has no compiled kernel.");
        }

        int k = x.Shape[1], n = transB ? b.Shape[0] : b.Shape[1];
        if ((transB ? b.Shape[1] : b.Shape[0]) != k)
        {
            throw new InvalidDataException($"Node {node.Label}: A [{string.Join(", ", x.Shape)}] and B [{string.Join(", ", b.Shape)}] (transB {(transB ? 1 : 0)}) do not fit.");
        }

        float alpha = node.GetFloat("alpha", 1f), beta = node.GetFloat("beta", 1f);
        float[] source = b.Floats!;
        float[] weight = new float[n * k];
        for (int j = 0; j < n; j++)
        {
            for (int p = 0; p < k; p++)
            {
                weight[(j * k) + p] = alpha * (transB ? source[(j * k) + p] : source[(p * n) + j]);
            }
        }

        float[] bias = new float[n];
        if (node.Inputs.Count > 2 && node.Inputs[2].Length > 0)
        {
            float[] c = ConstantOf(node, 2).Floats!;
            if (c.Length != n && c.Length != 1)
            {
                throw new NotSupportedException($"Node {node.Label}: Gemm's C has {c.Length} values; the compiled path broadcasts only [N] or a scalar.");
            }

            for (int j = 0; j < n; j++)
            {
                bias[j] = beta * c[c.Length == 1 ? 0 : j];
            }
        }

        _steps.Add(new GemmStep(StepName(node), x, NewSlot(node.Outputs[0], [1, n]), weight, bias));
    }

    private void LowerSoftmax(OnnxNode node)
    {
        Slot x = SlotOf(node, 0);
        int rank = x.Shape.Length;
        int axis = NodeArgs.Axis(node, node.GetInt("axis", _model.Opset >= 13 ? -1 : 1), rank);
        if (_model.Opset >= 13 && axis != rank - 1)
        {
            throw new NotSupportedException($"Node {node.Label}: Softmax over axis {axis} of a rank-{rank} value (not the last) has no compiled kernel.");
        }

        if (axis == 0)
        {
            throw new NotSupportedException($"Node {node.Label}: Softmax across the batch axis has no compiled kernel.");
        }

        int size = x.Shape.Skip(axis).Aggregate(1, (s, d) => s * d);
        _steps.Add(new SoftmaxStep(StepName(node), x, NewSlot(node.Outputs[0], x.Shape), size));
    }

    private void LowerTranspose(OnnxNode node)
    {
        Slot x = SlotOf(node, 0);
        long[] perm = node.GetInts("perm") ?? [.. Enumerable.Range(0, x.Shape.Length).Reverse().Select(i => (long)i)];
        bool toChannelsFirst = perm.SequenceEqual([0L, 3, 1, 2]);
        if (!toChannelsFirst && !perm.SequenceEqual([0L, 2, 3, 1]))
        {
            throw new NotSupportedException($"Node {node.Label}: Transpose with perm [{string.Join(", ", perm)}] has no compiled kernel (only NHWC <-> NCHW).");
        }

        int[] s = x.Shape;
        int[] shape = toChannelsFirst ? [1, s[3], s[1], s[2]] : [1, s[2], s[3], s[1]];
        if (toChannelsFirst && s[3] == 1)
        {
            _slots[node.Outputs[0]] = new Slot(node.Outputs[0], shape) { Root = x };
            return;
        }

        _steps.Add(new TransposeStep(StepName(node), x, NewSlot(node.Outputs[0], shape), toChannelsFirst));
        if (toChannelsFirst && x == Input)
        {
            _nhwcViews[node.Outputs[0]] = Input;
        }
    }

    private void LowerConcat(OnnxNode node)
    {
        Slot[] inputs = [.. node.Inputs.Select((_, i) => SlotOf(node, i))];
        int rank = inputs[0].Shape.Length;
        int axis = NodeArgs.Axis(node, node.GetInt("axis", 0), rank);
        if (axis == 0 || inputs.Any(s => s.Shape.Length != rank || !s.Shape.Take(axis).SequenceEqual(inputs[0].Shape.Take(axis)) || !s.Shape.Skip(axis + 1).SequenceEqual(inputs[0].Shape.Skip(axis + 1))))
        {
            throw new NotSupportedException($"Node {node.Label}: Concat of [{string.Join("], [", inputs.Select(s => string.Join(", ", s.Shape)))}] on axis {axis} has no compiled kernel.");
        }

        int[] shape = (int[])inputs[0].Shape.Clone();
        shape[axis] = inputs.Sum(s => s.Shape[axis]);
        int outer = shape.Take(axis).Aggregate(1, (a, d) => a * d);
        Slot y = NewSlot(node.Outputs[0], shape);
        _steps.Add(new ConcatStep(StepName(node), inputs, y, outer, [.. inputs.Select(s => s.Length / outer)]));
        if (axis == 1 && rank == 4 && inputs.Length == 2 && inputs[0].Kind != SlotKind.Constant
            && _constants.TryGetValue(node.Inputs[1], out OnnxValue? pad) && pad.Floats is { } zeros && zeros.All(v => v == 0f))
        {
            _zeroPadded[node.Outputs[0]] = inputs[0];
        }
    }

    private void LowerAlias(OnnxNode node)
    {
        Slot x = SlotOf(node, 0);
        int[] full = [_batch, .. x.Shape.Skip(1)];
        OnnxValue?[] args = [.. node.Inputs.Select((name, i) => i == 0 ? OnnxValue.FromFloats(full, new float[OnnxValue.SizeOf(full)]) : name.Length == 0 ? null : _constants[name])];
        int[] shape = OnnxExecutor.Execute(node, args, _model.Opset).Shape;
        if (shape.Length == 0 || shape[0] != _batch)
        {
            throw new NotSupportedException($"Node {node.Label}: output [{string.Join(", ", shape)}] does not keep the batch ({_batch}) as its first dim.");
        }

        _slots[node.Outputs[0]] = new Slot(node.Outputs[0], [1, .. shape.Skip(1)]) { Root = x };
    }

    private void BindOutputs()
    {
        Outputs = new Slot[_model.Graph.Outputs.Count];
        for (int i = 0; i < Outputs.Length; i++)
        {
            string name = _model.Graph.Outputs[i].Name;
            Slot slot = _slots.GetValueOrDefault(name) ?? throw new NotSupportedException($"Graph output '{name}' is a constant; the compiled path needs computed outputs.");
            Slot storage = slot.Storage;
            if (storage.Kind != SlotKind.Unplaced)
            {
                throw new NotSupportedException($"Graph output '{name}' shares its storage with the input or another output; the compiled path needs distinct outputs.");
            }

            storage.Kind = SlotKind.Output;
            storage.Index = i;
            Outputs[i] = slot;
        }
    }

    private void RemoveDeadSteps()
    {
        var needed = new HashSet<Slot>(Outputs.Select(o => o.Storage));
        for (int i = _steps.Count - 1; i >= 0; i--)
        {
            if (!needed.Contains(_steps[i].Output.Storage))
            {
                _steps.RemoveAt(i);
                continue;
            }

            needed.UnionWith(_steps[i].Inputs.Select(s => s.Storage));
        }
    }

    /// <summary>
    /// Runs each 3 x 3 depthwise conv whose only reader is a 1x1 conv together with it, as one
    /// <see cref="DepthwisePointwiseStep"/> in the 1x1 conv's place, when its output has at least
    /// <see cref="DepthwisePointwiseStep.MinimumFloats"/> floats; the depthwise output is then never stored.
    /// </summary>
    private void FuseSeparableConvs()
    {
        for (int i = 0; i < _steps.Count; i++)
        {
            if (_steps[i] is not WindowStep { IsWideConv3x3: true } depthwise || depthwise.Output.Storage.Kind != SlotKind.Unplaced
                || depthwise.Output.Length < DepthwisePointwiseStep.MinimumFloats)
            {
                continue;
            }

            Slot d = depthwise.Output.Storage;
            int[] readers = [.. Enumerable.Range(i + 1, _steps.Count - i - 1).Where(j => _steps[j].Inputs.Any(s => s.Storage == d))];
            if (readers.Length == 1 && _steps[readers[0]] is ConvStep { IsPointwise: true } pointwise
                && pointwise.Inputs[0].Storage == d && pointwise.Inputs.Skip(1).All(s => s.Storage != d))
            {
                _steps[readers[0]] = new DepthwisePointwiseStep(depthwise, pointwise);
                _steps.RemoveAt(i);
                i--;
            }
        }
    }

    /// <summary>
    /// Picks <see cref="BatchedGemm"/> and moves out of the arena every value that must outlive one image's pass: the
    /// values read at or after that step but written before it, and the step's own output.
    /// </summary>
    private void PlanBatchedGemm()
    {
        int tail = _batch < 2 ? -1 : _steps.FindIndex(s => s is GemmStep gemm && gemm.Weights >= GemmStep.BatchedWeights);
        if (tail < 0)
        {
            return;
        }

        var writtenBefore = new HashSet<Slot>(_steps.Take(tail).Select(s => s.Output.Storage));
        IEnumerable<Slot> readAfter = _steps.Skip(tail).SelectMany(s => s.Inputs).Select(s => s.Storage).Where(writtenBefore.Contains);
        foreach (Slot slot in readAfter.Append(_steps[tail].Output.Storage).Distinct().Where(s => s.Kind == SlotKind.Unplaced))
        {
            slot.Kind = SlotKind.Batched;
            slot.Index = _batchedLengths.Count;
            _batchedLengths.Add(slot.Length);
        }

        BatchedGemm = tail;
    }

    /// <summary>First fit by lifetime: each arena value goes to the lowest 64-byte aligned offset free over its [written, last read] step interval.</summary>
    private void PlaceArena()
    {
        var first = new Dictionary<Slot, int>();
        var last = new Dictionary<Slot, int>();
        for (int i = 0; i < _steps.Count; i++)
        {
            Slot output = _steps[i].Output.Storage;
            if (output.Kind == SlotKind.Unplaced)
            {
                first.TryAdd(output, i);
                last[output] = Math.Max(last.GetValueOrDefault(output), i);
            }

            foreach (Slot input in _steps[i].Inputs.Select(s => s.Storage).Where(s => s.Kind == SlotKind.Unplaced))
            {
                last[input] = i;
            }
        }

        var placed = new List<(Slot Slot, int Begin, int End)>();
        foreach ((Slot slot, int begin) in first.OrderBy(p => p.Value))
        {
            int end = last[slot];
            int size = (slot.Length + 15) / 16 * 16;
            int offset = 0;
            foreach ((Slot other, _, _) in placed.Where(p => p.Begin <= end && begin <= p.End).OrderBy(p => p.Slot.Offset))
            {
                if (offset + size <= other.Offset)
                {
                    break;
                }

                offset = Math.Max(offset, other.Offset + ((other.Length + 15) / 16 * 16));
            }

            slot.Kind = SlotKind.Arena;
            slot.Offset = offset;
            placed.Add((slot, begin, end));
            ArenaFloats = Math.Max(ArenaFloats, offset + size);
        }
    }

    /// <summary>The node's name, or its output's when it has none (big_XCEPTION's nodes are unnamed).</summary>
    private static string StepName(OnnxNode node) => node.Name.Length > 0 ? node.Name : node.Outputs[0];

    /// <summary>The single node that reads <paramref name="value"/> when it is of type <paramref name="opType"/> and the value is not a graph output.</summary>
    private OnnxNode? Single(string value, string opType)
    {
        if (_graphOutputs.Contains(value) || !_consumers.TryGetValue(value, out List<OnnxNode>? readers) || readers.Count != 1)
        {
            return null;
        }

        return readers[0].OpType == opType ? readers[0] : null;
    }

    private Slot NewSlot(string name, int[] shape)
    {
        var slot = new Slot(name, shape);
        _slots[name] = slot;
        return slot;
    }

    private Slot SlotOf(OnnxNode node, int index)
    {
        string name = node.Inputs[index];
        if (_slots.TryGetValue(name, out Slot? slot))
        {
            return slot;
        }

        if (_constants.TryGetValue(name, out OnnxValue? value) && value.Floats is { } data)
        {
            int[] shape = value.Shape.Length > 0 && value.Shape[0] == 1 ? value.Shape : [1, .. value.Shape];
            var constant = new Slot(name, shape) { Kind = SlotKind.Constant, Index = _constantData.Count };
            float[] pinned = GC.AllocateArray<float>(data.Length, pinned: true);
            data.CopyTo(pinned, 0);
            _constantData.Add(pinned);
            _slots[name] = constant;
            return constant;
        }

        throw new NotSupportedException($"Node {node.Label}: input {index} '{name}' is not a computed float value.");
    }

    private Slot Rank4(OnnxNode node, int index)
    {
        Slot slot = SlotOf(node, index);
        return slot.Shape.Length == 4 ? slot : throw new InvalidDataException($"Node {node.Label}: input {index} '{slot.Name}' is [{string.Join(", ", slot.Shape)}]; expected rank 4 (NCHW).");
    }

    private OnnxValue ConstantOf(OnnxNode node, int index)
    {
        return _constants.TryGetValue(node.Inputs[index], out OnnxValue? value) && value.IsFloat
            ? value
            : throw new NotSupportedException($"Node {node.Label}: input {index} '{node.Inputs[index]}' must be a constant float tensor for the compiled path.");
    }
}
