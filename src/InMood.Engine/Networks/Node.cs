using InMood.Engine.Layers;
using InMood.Engine.Tensors;

namespace InMood.Engine.Networks;

/// <summary>One step of a <see cref="Network"/>: a layer applied to earlier nodes' outputs (the input node has no layer).</summary>
public sealed class Node
{
    internal Node(string name, Layer? layer, int[] inputs, Shape shape)
    {
        Name = name;
        Layer = layer;
        Inputs = inputs;
        Shape = shape;
        Output = new Tensor(shape);
        Grad = new Tensor(shape);
        InputTensors = new Tensor[inputs.Length];
        InputGrads = new Tensor?[inputs.Length];
    }

    public string Name { get; }

    public Layer? Layer { get; }

    /// <summary>Indices of the nodes this one reads, in the layer's argument order.</summary>
    public int[] Inputs { get; }

    /// <summary>Per-sample output shape.</summary>
    public Shape Shape { get; }

    public Tensor Output { get; }

    /// <summary>dL/dOutput, filled during the backward pass.</summary>
    public Tensor Grad { get; }

    internal Tensor[] InputTensors { get; }

    internal Tensor?[] InputGrads { get; }

    /// <summary>Scratch gradients for edges whose source node feeds several consumers (summed afterwards).</summary>
    internal Tensor?[] EdgeGrads { get; set; } = [];
}
