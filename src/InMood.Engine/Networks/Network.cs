using System.Diagnostics;
using System.Globalization;
using System.Text;
using InMood.Engine.Layers;
using InMood.Engine.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace InMood.Engine.Networks;

/// <summary>
/// A directed acyclic graph of layers in topological order (node 0 is the input), like llm.c's
/// gpt2_forward: Forward runs the nodes in order, Backward in reverse. Activations are sized on the
/// first pass for a batch size and reused, so warm passes allocate nothing.
/// </summary>
public sealed class Network
{
    private readonly Node[] _nodes;
    private readonly int[] _consumers;
    private readonly (string Name, Parameter Parameter)[] _parameters;

    internal Network(Node[] nodes)
    {
        _nodes = nodes;
        _parameters = nodes.Where(n => n.Layer is not null)
            .SelectMany(n => n.Layer!.Parameters.Select(p => ($"{n.Name}.{p.Name}", p)))
            .ToArray();
        _consumers = new int[nodes.Length];
        foreach (Node node in nodes)
        {
            foreach (int input in node.Inputs)
            {
                _consumers[input]++;
            }
        }

        foreach (Node node in nodes)
        {
            node.EdgeGrads = node.Inputs.Select(i => _consumers[i] > 1 ? new Tensor(nodes[i].Shape) : null).ToArray();
        }
    }

    public IReadOnlyList<Node> Nodes => _nodes;

    public Shape InputShape => _nodes[0].Shape;

    public Shape OutputShape => _nodes[^1].Shape;

    /// <summary>The last forward pass's output: [batch, OutputShape].</summary>
    public Tensor Output => _nodes[^1].Output;

    /// <summary>Every trainable parameter, named "node.param" (e.g. "conv1.weight"), in node order.</summary>
    public IReadOnlyList<(string Name, Parameter Parameter)> Parameters() => _parameters;

    /// <summary>Every tensor that defines the network's function: parameters plus batch-norm running statistics.</summary>
    public IEnumerable<(string Name, float[] Data, int[] Shape)> State()
    {
        foreach ((string name, Parameter p) in Parameters())
        {
            yield return (name, p.Value, p.Dimensions);
        }

        foreach (Node node in _nodes)
        {
            if (node.Layer is BatchNorm2d bn)
            {
                yield return ($"{node.Name}.running_mean", bn.RunningMean, [bn.RunningMean.Length]);
                yield return ($"{node.Name}.running_var", bn.RunningVar, [bn.RunningVar.Length]);
            }
        }
    }

    /// <summary>Parameter count.</summary>
    public long ParameterCount => Parameters().Sum(p => (long)p.Parameter.Value.Length);

    /// <summary>
    /// When set (length 2 x <see cref="Nodes"/>.Count), <see cref="Forward(ReadOnlySpan{float}, int, bool, int)"/> adds each node's wall time in
    /// <see cref="Stopwatch"/> ticks to [i] and <see cref="Backward"/> to [Nodes.Count + i]: a per-layer profile of
    /// training or inference. Null (the default) times nothing.
    /// </summary>
    public long[]? NodeTicks { get; set; }

    /// <summary>Forward FLOPs per sample of node <paramref name="index"/> (2 per multiply-add; 0 for the input and for layers without multiplies).</summary>
    public long NodeFlopsPerSample(int index) =>
        _nodes[index].Layer?.FlopsPerSample(_nodes[index].Inputs.Select(i => _nodes[i].Shape).ToArray()) ?? 0;

    /// <summary>Forward FLOPs per sample (2 per multiply-add, convolutions and dense layers).</summary>
    public long FlopsPerSample => Enumerable.Range(0, _nodes.Length).Sum(NodeFlopsPerSample);

    /// <summary>Runs the network on input [batch, InputShape] and returns the output tensor [batch, OutputShape].</summary>
    public Tensor Forward(ReadOnlySpan<float> input, int batch, bool training) => Forward(input, batch, training, _nodes.Length - 1);

    /// <summary>
    /// Runs nodes 1 to <paramref name="last"/> only (the ones before it in topological order, so everything it reads)
    /// and returns that node's output [batch, its shape]: the activations at one layer without the cost of the rest.
    /// </summary>
    public Tensor Forward(ReadOnlySpan<float> input, int batch, bool training, int last)
    {
        if (input.Length != batch * InputShape.Size)
        {
            throw new ArgumentException($"Input has {input.Length} values; a batch of {batch} x {InputShape} needs {batch * InputShape.Size}.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(last);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(last, _nodes.Length);
        Node first = _nodes[0];
        first.Output.Resize(batch);
        input.CopyTo(first.Output.Span);
        for (int i = 1; i <= last; i++)
        {
            Node node = _nodes[i];
            node.Output.Resize(batch);
            for (int j = 0; j < node.Inputs.Length; j++)
            {
                node.InputTensors[j] = _nodes[node.Inputs[j]].Output;
            }

            long start = NodeTicks is null ? 0 : Stopwatch.GetTimestamp();
            node.Layer!.Forward(node.InputTensors, node.Output, training);
            if (NodeTicks is not null)
            {
                NodeTicks[i] += Stopwatch.GetTimestamp() - start;
            }
        }

        return _nodes[last].Output;
    }

    /// <summary>
    /// Back-propagates dL/dOutput (shape [batch, OutputShape], for the batch of the last Forward) through every
    /// node, adding parameter gradients. The input node's gradient is not computed.
    /// </summary>
    public void Backward(ReadOnlySpan<float> outputGrad)
    {
        int batch = Output.Batch;
        Node last = _nodes[^1];
        last.Grad.Resize(batch);
        outputGrad.CopyTo(last.Grad.Span);
        Span<bool> started = _nodes.Length <= 1024 ? stackalloc bool[_nodes.Length] : new bool[_nodes.Length];
        started[^1] = true;
        for (int i = _nodes.Length - 1; i >= 1; i--)
        {
            Node node = _nodes[i];
            for (int j = 0; j < node.Inputs.Length; j++)
            {
                int source = node.Inputs[j];
                Tensor? grad = source == 0 ? null : node.EdgeGrads[j] ?? _nodes[source].Grad;
                grad?.Resize(batch);
                node.InputGrads[j] = grad;
            }

            long start = NodeTicks is null ? 0 : Stopwatch.GetTimestamp();
            node.Layer!.Backward(node.InputTensors, node.Output, node.Grad, node.InputGrads);
            if (NodeTicks is not null)
            {
                NodeTicks[_nodes.Length + i] += Stopwatch.GetTimestamp() - start;
            }

            for (int j = 0; j < node.Inputs.Length; j++)
            {
                int source = node.Inputs[j];
                if (source == 0 || node.EdgeGrads[j] is not { } edge)
                {
                    continue;
                }

                Tensor target = _nodes[source].Grad;
                target.Resize(batch);
                if (started[source])
                {
                    TensorPrimitives.Add(target.Span, edge.Span, target.Span);
                }
                else
                {
                    edge.Span.CopyTo(target.Span);
                    started[source] = true;
                }
            }
        }
    }

    /// <summary>Sets every parameter gradient to zero (once per training step).</summary>
    public void ZeroGrad()
    {
        foreach ((_, Parameter p) in _parameters)
        {
            Array.Clear(p.Grad);
        }
    }

    /// <summary>The architecture as text: "input CxHxW", then one "name = kind(inputs) key=value ..." line per node.</summary>
    public string ToSpec()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{_nodes[0].Name} {InputShape}\n");
        for (int i = 1; i < _nodes.Length; i++)
        {
            Node node = _nodes[i];
            text.Append(node.Name).Append(" = ").Append(node.Layer!.Kind).Append('(')
                .AppendJoin(',', node.Inputs.Select(j => _nodes[j].Name)).Append(')');
            foreach ((string key, string value) in node.Layer.Settings())
            {
                text.Append(' ').Append(key).Append('=').Append(value);
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Rebuilds a network (fresh parameters) from <see cref="ToSpec"/> text.</summary>
    public static Network FromSpec(string spec) => LayerFactory.Build(spec);

    /// <summary>
    /// This network when it is already in inference form (no batch norm or dropout), else <see cref="FoldForInference"/>;
    /// so a file written by the trainer (already folded) is not copied again.
    /// </summary>
    public Network InInferenceForm() =>
        Nodes.Any(n => n.Layer is BatchNorm2d or Dropout) ? FoldForInference() : this;

    /// <summary>
    /// An inference copy with the same function: each batch norm that directly follows a conv (its only consumer)
    /// is folded into the conv's weights and bias (W' = W * s, b' = (b - mean) * s + beta, s = gamma / sqrt(var + eps)),
    /// each ReLU that follows such a conv (or runs inside the batch norm) runs inside it, and dropout disappears.
    /// </summary>
    public Network FoldForInference()
    {
        var builder = new NetworkBuilder(InputShape, _nodes[0].Name);
        var renamed = new string[_nodes.Length];
        renamed[0] = _nodes[0].Name;
        var folded = new Dictionary<int, Conv2d>();
        for (int i = 1; i < _nodes.Length; i++)
        {
            Node node = _nodes[i];
            string[] inputs = node.Inputs.Select(j => renamed[j]).ToArray();
            int source = node.Inputs[0];
            Layer layer = node.Layer!;
            if (layer is Dropout)
            {
                renamed[i] = inputs[0];
                continue;
            }

            if (layer is BatchNorm2d bn && _nodes[source].Layer is Conv2d && _consumers[source] == 1 && folded.TryGetValue(source, out Conv2d? conv) && !conv.FusedRelu)
            {
                FoldInto(conv, bn);
                conv.FusedRelu = bn.FusedRelu;
                folded.Remove(source);
                folded[i] = conv;
                renamed[i] = inputs[0];
                continue;
            }

            if (layer is Relu && folded.TryGetValue(source, out Conv2d? reluConv) && _consumers[source] == 1 && !reluConv.FusedRelu)
            {
                reluConv.FusedRelu = true;
                folded.Remove(source);
                renamed[i] = inputs[0];
                continue;
            }

            if (layer is Conv2d original)
            {
                Conv2d copy = CopyConv(original, withBias: true);
                renamed[i] = builder.Add(node.Name, copy, inputs);
                folded[i] = copy;
                continue;
            }

            renamed[i] = builder.Add(node.Name, LayerFactory.Clone(layer, builder, inputs), inputs);
        }

        return builder.Build();
    }

    private static Conv2d CopyConv(Conv2d original, bool withBias)
    {
        var copy = new Conv2d(original.InChannels, original.OutChannels, original.Geometry, original.Groups, withBias);
        original.Weight.Value.CopyTo(copy.Weight.Value);
        original.Bias?.Value.CopyTo(copy.Bias!.Value, 0);
        copy.FusedRelu = original.FusedRelu;
        return copy;
    }

    private static void FoldInto(Conv2d conv, BatchNorm2d bn)
    {
        int perChannel = conv.Weight.Value.Length / conv.OutChannels;
        for (int o = 0; o < conv.OutChannels; o++)
        {
            float scale = bn.Gamma.Value[o] / MathF.Sqrt(bn.RunningVar[o] + bn.Epsilon);
            Span<float> w = conv.Weight.Value.AsSpan(o * perChannel, perChannel);
            TensorPrimitives.Multiply(w, scale, w);
            float[] bias = conv.Bias!.Value;
            bias[o] = (bias[o] - bn.RunningMean[o]) * scale + bn.Beta.Value[o];
        }
    }
}
