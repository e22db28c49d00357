using InMood.Engine.Layers;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace InMood.Engine.Training;

/// <summary>
/// SGD with Nesterov momentum and coupled weight decay (PyTorch's formulation):
/// g = grad + wd * w (decayed parameters only); v = mu * v + g; w -= lr * (g + mu * v).
/// </summary>
public sealed class SgdNesterov(IReadOnlyList<(string Name, Parameter Parameter)> parameters, float momentum = 0.9f, float weightDecay = 5e-4f) : IOptimizer
{
    private readonly float[][] _velocity = parameters.Select(p => new float[p.Parameter.Value.Length]).ToArray();

    public IReadOnlyList<(string Name, Parameter Parameter)> Parameters => parameters;

    public long Steps { get; set; }

    public void Step(float learningRate)
    {
        for (int i = 0; i < parameters.Count; i++)
        {
            Parameter p = parameters[i].Parameter;
            Span<float> g = p.Grad, w = p.Value, v = _velocity[i];
            if (p.Decay && weightDecay != 0f)
            {
                TensorPrimitives.MultiplyAdd(w, weightDecay, g, g);
            }

            TensorPrimitives.MultiplyAdd(v, momentum, g, v);
            TensorPrimitives.MultiplyAdd(v, momentum, g, g);
            TensorPrimitives.MultiplyAdd(g, -learningRate, w, w);
        }

        Steps++;
    }

    public IEnumerable<(string Name, float[] Data)> State()
        => parameters.Select((p, i) => ($"{p.Name}.velocity", _velocity[i]));
}
