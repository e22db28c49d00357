using InMood.Engine.Layers;
using InMood.Engine.Networks;
using InMood.Onnx.Model;

namespace InMood.Onnx;

/// <summary>
/// Writes an engine <see cref="Network"/> as an opset-13 ONNX model: input "input" [N, C, H, W] (N dynamic),
/// output "logits". Parameters become initializers named "node.param" (e.g. "s1c1.weight").
/// Layers: Conv2d (bias, groups, FusedRelu as a following Relu), BatchNorm2d (inference; FusedRelu as a following Relu), MaxPool2d,
/// GlobalAvgPool2d, Dense (Gemm with transB, after a Flatten when its input is still [N, C, H, W]),
/// Flatten, Relu, Add, Concat (channels), Softmax (over features) and Dropout (dropped). Export a network
/// after <see cref="Network.FoldForInference"/> to get its inference form.
/// </summary>
public static class OnnxExport
{
    public const string InputName = "input";
    public const string OutputName = "logits";

    /// <summary>
    /// The ONNX model computing the same function as <paramref name="network"/> in inference mode. Its initializers
    /// are copies of the parameters, or, with <paramref name="shareWeights"/>, the network's own arrays (no copy: for
    /// a model compiled straight away, whose steps keep their own packed forms; it changes if the network does).
    /// </summary>
    /// <exception cref="NotSupportedException">A layer has no ONNX mapping here (the message names the node).</exception>
    public static OnnxModel FromNetwork(Network network, bool shareWeights = false)
    {
        ArgumentNullException.ThrowIfNull(network);
        IReadOnlyList<Node> nodes = network.Nodes;
        var graph = new OnnxGraph { Name = "inmood" };
        var names = new string[nodes.Count];
        var ranks = new int[nodes.Count];
        names[0] = InputName;
        ranks[0] = 4;
        graph.Inputs.Add(new OnnxValueInfo(InputName, OnnxDataType.Float, [
            OnnxDimension.Symbolic("N"), OnnxDimension.Known(network.InputShape.Channels),
            OnnxDimension.Known(network.InputShape.Height), OnnxDimension.Known(network.InputShape.Width)]));
        for (int i = 1; i < nodes.Count; i++)
        {
            Node node = nodes[i];
            string[] inputs = [.. node.Inputs.Select(j => names[j])];
            int rank = ranks[node.Inputs[0]];
            string output = i == nodes.Count - 1 ? OutputName : node.Name;
            (names[i], ranks[i]) = node.Layer switch
            {
                Dropout => (inputs[0], rank),
                Conv2d conv => (ExportConv(graph, node.Name, conv, inputs[0], output), 4),
                BatchNorm2d bn => (ExportBatchNorm(graph, node.Name, bn, inputs[0], output), 4),
                MaxPool2d pool => (Add(graph, "MaxPool", node.Name, inputs, output, WindowAttributes(pool.Geometry)), 4),
                GlobalAvgPool2d => (Add(graph, "GlobalAveragePool", node.Name, inputs, output), 4),
                Dense dense => (ExportDense(graph, node.Name, dense, inputs[0], rank, output), 2),
                Flatten => (Add(graph, "Flatten", node.Name, inputs, output, OnnxAttribute.FromInt("axis", 1)), 2),
                Relu => (Add(graph, "Relu", node.Name, inputs, output), rank),
                InMood.Engine.Layers.Add => (Add(graph, "Add", node.Name, inputs, output), rank),
                Concat => (Add(graph, "Concat", node.Name, inputs, output, OnnxAttribute.FromInt("axis", 1)), rank),
                Softmax => (Add(graph, "Softmax", node.Name, [rank == 2 ? inputs[0] : Add(graph, "Flatten", node.Name + "_flatten", inputs, node.Name + "_flat", OnnxAttribute.FromInt("axis", 1))], output, OnnxAttribute.FromInt("axis", 1)), 2),
                _ => throw new NotSupportedException($"Node '{node.Name}': layer {node.Layer?.Kind} has no ONNX export."),
            };
        }

        if (names[^1] != OutputName)
        {
            Add(graph, "Identity", "output", [names[^1]], OutputName);
        }

        graph.Outputs.Add(new OnnxValueInfo(OutputName, OnnxDataType.Float, null));
        if (!shareWeights)
        {
            for (int i = 0; i < graph.Initializers.Count; i++)
            {
                OnnxTensor shared = graph.Initializers[i];
                graph.Initializers[i] = OnnxTensor.FromFloats(shared.Name, shared.Dims, (float[])shared.FloatData!.Clone());
            }
        }

        return new OnnxModel { Graph = graph };
    }

    private static string ExportConv(OnnxGraph graph, string name, Conv2d conv, string input, string output)
    {
        string weight = Initializer(graph, $"{name}.weight", conv.Weight.Dimensions, conv.Weight.Value);
        List<string> inputs = [input, weight];
        if (conv.Bias is { } bias)
        {
            inputs.Add(Initializer(graph, $"{name}.bias", bias.Dimensions, bias.Value));
        }

        ConvGeometry g = conv.Geometry;
        OnnxAttribute[] attributes = [.. WindowAttributes(g), OnnxAttribute.FromInt("group", conv.Groups)];
        if (!conv.FusedRelu)
        {
            return Add(graph, "Conv", name, inputs, output, attributes);
        }

        string convOutput = Add(graph, "Conv", name, inputs, name + "_conv", attributes);
        return Add(graph, "Relu", name + "_relu", [convOutput], output);
    }

    private static string ExportBatchNorm(OnnxGraph graph, string name, BatchNorm2d bn, string input, string output)
    {
        int c = bn.RunningMean.Length;
        string[] inputs =
        [
            input,
            Initializer(graph, $"{name}.weight", [c], bn.Gamma.Value),
            Initializer(graph, $"{name}.bias", [c], bn.Beta.Value),
            Initializer(graph, $"{name}.running_mean", [c], bn.RunningMean),
            Initializer(graph, $"{name}.running_var", [c], bn.RunningVar),
        ];
        OnnxAttribute epsilon = OnnxAttribute.FromFloat("epsilon", bn.Epsilon);
        if (!bn.FusedRelu)
        {
            return Add(graph, "BatchNormalization", name, inputs, output, epsilon);
        }

        string normalized = Add(graph, "BatchNormalization", name, inputs, name + "_bn", epsilon);
        return Add(graph, "Relu", name + "_relu", [normalized], output);
    }

    /// <summary>y = x W^T + b as Gemm(transB = 1); x is flattened to [N, inputs] first when it is [N, C, H, W].</summary>
    private static string ExportDense(OnnxGraph graph, string name, Dense dense, string input, int rank, string output)
    {
        string x = rank == 2 ? input : Add(graph, "Flatten", name + "_flatten", [input], name + "_flat", OnnxAttribute.FromInt("axis", 1));
        string weight = Initializer(graph, $"{name}.weight", dense.Weight.Dimensions, dense.Weight.Value);
        string bias = Initializer(graph, $"{name}.bias", dense.Bias.Dimensions, dense.Bias.Value);
        return Add(graph, "Gemm", name, [x, weight, bias], output, OnnxAttribute.FromInt("transB", 1));
    }

    private static OnnxAttribute[] WindowAttributes(ConvGeometry g) =>
    [
        OnnxAttribute.FromInts("kernel_shape", g.KernelHeight, g.KernelWidth),
        OnnxAttribute.FromInts("strides", g.StrideHeight, g.StrideWidth),
        OnnxAttribute.FromInts("pads", g.PadTop, g.PadLeft, g.PadBottom, g.PadRight),
    ];

    private static string Initializer(OnnxGraph graph, string name, int[] dims, float[] values)
    {
        graph.Initializers.Add(OnnxTensor.FromFloats(name, [.. dims.Select(d => (long)d)], values));
        return name;
    }

    private static string Add(OnnxGraph graph, string opType, string name, IEnumerable<string> inputs, string output, params OnnxAttribute[] attributes)
    {
        graph.Nodes.Add(new OnnxNode(opType, inputs, [output], name) { Attributes = [.. attributes] });
        return output;
    }
}
