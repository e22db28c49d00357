using InMood.Onnx.Model;

namespace InMood.Onnx.Execution;

/// <summary>
/// Runs an <see cref="OnnxModel"/> node by node: the reference ("obvious, slow, correct") executor
/// that later fused and planned paths are checked against. Construction orders the nodes
/// topologically and rejects unknown ops and dangling inputs; <see cref="Run"/> checks the feeds
/// against the declared input shapes, runs each node, and drops every value after its last use.
/// Conv, Gemm and MatMul run on the engine's SGEMM; the rest are plain loops or TensorPrimitives.
/// </summary>
public sealed class OnnxExecutor
{
    /// <summary>The op types this executor runs (standard domain, opsets 11 to 17).</summary>
    public static IReadOnlySet<string> SupportedOps { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "Conv", "Relu", "LeakyRelu", "Sigmoid", "Add", "Mul", "Sub", "Div", "MaxPool", "AveragePool",
        "GlobalAveragePool", "BatchNormalization", "Gemm", "MatMul", "Softmax", "Reshape", "Flatten",
        "Transpose", "Concat", "ConstantOfShape", "Pad", "Constant", "Identity", "Squeeze", "Unsqueeze", "Clip",
    };

    private readonly OnnxModel _model;
    private readonly Dictionary<string, OnnxValue> _initializers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _lastUse = new(StringComparer.Ordinal);

    public OnnxExecutor(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        foreach (OnnxTensor tensor in model.Graph.Initializers)
        {
            _initializers[tensor.Name] = OnnxValue.FromTensor(tensor);
        }

        string[] unsupported = [.. model.Graph.Nodes.Select(n => n.OpType).Where(op => !SupportedOps.Contains(op)).Distinct().Order(StringComparer.Ordinal)];
        if (unsupported.Length > 0)
        {
            throw new NotSupportedException($"The model uses ops the executor does not run: {string.Join(", ", unsupported)}.");
        }

        Order = TopologicalOrder(model.Graph, _initializers.Keys);
        for (int i = 0; i < Order.Count; i++)
        {
            foreach (string input in Order[i].Inputs)
            {
                _lastUse[input] = i;
            }
        }
    }

    /// <summary>The nodes in execution order.</summary>
    public IReadOnlyList<OnnxNode> Order { get; }

    /// <summary>Runs the graph on <paramref name="feeds"/> (one value per non-initializer graph input) and returns the graph outputs by name.</summary>
    public Dictionary<string, OnnxValue> Run(IReadOnlyDictionary<string, OnnxValue> feeds)
    {
        var values = new Dictionary<string, OnnxValue>(_initializers, StringComparer.Ordinal);
        foreach (OnnxValueInfo input in _model.Graph.Inputs)
        {
            if (feeds.TryGetValue(input.Name, out OnnxValue? feed))
            {
                CheckFeed(input, feed);
                values[input.Name] = feed;
            }
            else if (!_initializers.ContainsKey(input.Name))
            {
                throw new ArgumentException($"Input '{input.Name}' ({input}) was not fed.", nameof(feeds));
            }
        }

        var outputs = new HashSet<string>(_model.Graph.Outputs.Select(o => o.Name), StringComparer.Ordinal);
        for (int i = 0; i < Order.Count; i++)
        {
            OnnxNode node = Order[i];
            OnnxValue?[] arguments = [.. node.Inputs.Select(name => name.Length == 0 ? null : values[name])];
            OnnxValue result = Execute(node, arguments, _model.Opset);
            values[node.Outputs[0]] = result;
            foreach (string input in node.Inputs)
            {
                if (_lastUse.TryGetValue(input, out int last) && last == i && !outputs.Contains(input) && !_initializers.ContainsKey(input))
                {
                    values.Remove(input);
                }
            }
        }

        return _model.Graph.Outputs.ToDictionary(o => o.Name, o => values[o.Name], StringComparer.Ordinal);
    }

    /// <summary>Runs one node on its input values (null for omitted optional inputs); the op-by-op test harness calls it directly.</summary>
    public static OnnxValue Execute(OnnxNode node, OnnxValue?[] inputs, long opset) => node.OpType switch
    {
        "Conv" => ConvOps.Conv(node, inputs),
        "Relu" or "LeakyRelu" or "Sigmoid" or "Clip" or "Identity" => ElementwiseOps.Unary(node, inputs),
        "Add" or "Sub" or "Mul" or "Div" => ElementwiseOps.Binary(node, inputs),
        "MaxPool" or "AveragePool" => PoolOps.Pool(node, inputs),
        "GlobalAveragePool" => PoolOps.GlobalAveragePool(node, inputs),
        "BatchNormalization" => LinearOps.BatchNormalization(node, inputs),
        "Gemm" => LinearOps.Gemm(node, inputs),
        "MatMul" => LinearOps.MatMul(node, inputs),
        "Softmax" => LinearOps.Softmax(node, inputs, opset),
        "Reshape" => ShapeOps.Reshape(node, inputs),
        "Flatten" => ShapeOps.Flatten(node, inputs),
        "Transpose" => ShapeOps.Transpose(node, inputs),
        "Concat" => ShapeOps.Concat(node, inputs),
        "ConstantOfShape" => ShapeOps.ConstantOfShape(node, inputs),
        "Pad" => ShapeOps.Pad(node, inputs),
        "Constant" => ShapeOps.Constant(node),
        "Squeeze" => ShapeOps.Squeeze(node, inputs, opset),
        "Unsqueeze" => ShapeOps.Unsqueeze(node, inputs, opset),
        _ => throw new NotSupportedException($"Node {node.Label}: op {node.OpType} is not supported."),
    };

    /// <summary>Kahn's algorithm, stable in file order; names the first node whose input nothing produces.</summary>
    private static List<OnnxNode> TopologicalOrder(OnnxGraph graph, IEnumerable<string> initializers)
    {
        var available = new HashSet<string>(initializers, StringComparer.Ordinal) { "" };
        available.UnionWith(graph.Inputs.Select(i => i.Name));
        var producers = new Dictionary<string, OnnxNode>(StringComparer.Ordinal);
        foreach (OnnxNode node in graph.Nodes)
        {
            if (node.Outputs.Count != 1)
            {
                throw new NotSupportedException($"Node {node.Label} has {node.Outputs.Count} outputs; the executor runs single-output nodes only.");
            }

            if (available.Contains(node.Outputs[0]) || !producers.TryAdd(node.Outputs[0], node))
            {
                throw new InvalidDataException($"Node {node.Label}: value '{node.Outputs[0]}' is produced more than once.");
            }
        }

        var order = new List<OnnxNode>(graph.Nodes.Count);
        var pending = new List<OnnxNode>(graph.Nodes);
        while (pending.Count > 0)
        {
            int before = pending.Count;
            pending.RemoveAll(node =>
            {
                if (!node.Inputs.All(available.Contains))
                {
                    return false;
                }

                order.Add(node);
                available.Add(node.Outputs[0]);
                return true;
            });
            if (pending.Count == before)
            {
                OnnxNode stuck = pending[0];
                string missing = stuck.Inputs.First(i => !available.Contains(i));
                string reason = producers.ContainsKey(missing) ? "it is part of a cycle" : "no initializer, graph input or node produces it";
                throw new InvalidDataException($"Node {stuck.Label}: input '{missing}' is never available ({reason}).");
            }
        }

        foreach (OnnxValueInfo output in graph.Outputs)
        {
            if (!available.Contains(output.Name))
            {
                throw new InvalidDataException($"Graph output '{output.Name}' is produced by no node.");
            }
        }

        return order;
    }

    private static void CheckFeed(OnnxValueInfo input, OnnxValue feed)
    {
        bool typeOk = input.ElementType == OnnxDataType.Float ? feed.IsFloat : !feed.IsFloat;
        bool rankOk = input.Shape is null || input.Shape.Count == feed.Shape.Length;
        bool dimsOk = rankOk && (input.Shape is null || input.Shape.Select((d, i) => d.Value is null || d.Value == feed.Shape[i]).All(ok => ok));
        if (!typeOk || !dimsOk)
        {
            throw new ArgumentException($"Input '{input.Name}' is {feed}; the model declares {input}.", nameof(input));
        }
    }
}
