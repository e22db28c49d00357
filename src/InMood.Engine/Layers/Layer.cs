using InMood.Engine.Tensors;

namespace InMood.Engine.Layers;

/// <summary>
/// A network operation on whole batches in NCHW layout. Forward writes the output tensor (already sized
/// by the network); Backward writes dL/dinput for every input whose gradient buffer is not null and adds
/// parameter gradients into <see cref="Parameter.Grad"/>.
/// </summary>
public abstract class Layer
{
    /// <summary>The operator's name in architecture specs, e.g. "conv2d".</summary>
    public abstract string Kind { get; }

    /// <summary>Named parameters, in a fixed order.</summary>
    public virtual IReadOnlyList<Parameter> Parameters => [];

    /// <summary>Number of inputs the layer takes.</summary>
    public virtual int Arity => 1;

    /// <summary>Output shape for the given input shapes; throws ArgumentException naming the mismatch.</summary>
    public abstract Shape OutputShape(IReadOnlyList<Shape> inputs);

    public abstract void Forward(Tensor[] inputs, Tensor output, bool training);

    public abstract void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads);

    /// <summary>Multiply-add count per sample of the forward pass times two (FLOPs), for speed reports.</summary>
    public virtual long FlopsPerSample(IReadOnlyList<Shape> inputs) => 0;

    /// <summary>The layer's settings as "key=value" pairs for the architecture spec (see <see cref="Networks.LayerFactory"/>).</summary>
    public virtual IEnumerable<KeyValuePair<string, string>> Settings() => [];
}
