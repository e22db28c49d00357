namespace InMood.Engine.Layers;

/// <summary>A named trainable tensor with its gradient (same shape); gradients accumulate until the trainer zeroes them.</summary>
public sealed class Parameter
{
    public Parameter(string name, int[] shape, bool decay)
    {
        Name = name;
        Dimensions = shape;
        int size = 1;
        foreach (int d in shape)
        {
            size = checked(size * d);
        }

        Value = new float[size];
        Grad = new float[size];
        Decay = decay;
    }

    /// <summary>Name local to the layer, e.g. "weight"; the network prefixes the layer name.</summary>
    public string Name { get; }

    /// <summary>Shape, e.g. [outC, inC/groups, kH, kW] for a conv weight.</summary>
    public int[] Dimensions { get; }

    public float[] Value { get; }

    public float[] Grad { get; }

    /// <summary>Whether weight decay applies (weights yes; biases and norm scales no).</summary>
    public bool Decay { get; }
}
