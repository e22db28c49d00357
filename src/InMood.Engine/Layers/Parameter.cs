namespace InMood.Engine.Layers;

/// <summary>A named trainable tensor with its gradient (same shape); gradients accumulate until the trainer zeroes them.</summary>
public sealed class Parameter
{
    /// <summary>The most values one parameter may hold: 2^26 (256 MiB of floats), far above any network this engine trains.</summary>
    public const int MaxSize = 1 << 26;

    /// <exception cref="ArgumentException">The shape holds more than <see cref="MaxSize"/> values.</exception>
    public Parameter(string name, int[] shape, bool decay)
    {
        Name = name;
        Dimensions = shape;
        long size = 1;
        foreach (int d in shape)
        {
            size *= d;
            if (size > MaxSize)
            {
                throw new ArgumentException($"{name} of shape [{string.Join(", ", shape)}] would hold more than {MaxSize:N0} values");
            }
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
