using InMood.Engine.Layers;

namespace InMood.Engine.Training;

/// <summary>
/// AdamW (Loshchilov and Hutter): m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
/// w -= lr * (m / (1 - b1^t) / (sqrt(v / (1 - b2^t)) + eps) + wd * w), decay on decayed parameters only.
/// </summary>
public sealed class AdamW(
    IReadOnlyList<(string Name, Parameter Parameter)> parameters, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0.05f) : IOptimizer
{
    private readonly float[][] _m = parameters.Select(p => new float[p.Parameter.Value.Length]).ToArray();
    private readonly float[][] _v = parameters.Select(p => new float[p.Parameter.Value.Length]).ToArray();

    public IReadOnlyList<(string Name, Parameter Parameter)> Parameters => parameters;

    public long Steps { get; set; }

    public void Step(float learningRate)
    {
        Steps++;
        float correction1 = 1f - MathF.Pow(beta1, Steps);
        float correction2 = 1f - MathF.Pow(beta2, Steps);
        for (int i = 0; i < parameters.Count; i++)
        {
            Parameter p = parameters[i].Parameter;
            float decay = p.Decay ? weightDecay : 0f;
            float[] w = p.Value, g = p.Grad, m = _m[i], v = _v[i];
            for (int j = 0; j < w.Length; j++)
            {
                m[j] = beta1 * m[j] + (1f - beta1) * g[j];
                v[j] = beta2 * v[j] + (1f - beta2) * g[j] * g[j];
                float update = m[j] / correction1 / (MathF.Sqrt(v[j] / correction2) + epsilon);
                w[j] -= learningRate * (update + decay * w[j]);
            }
        }
    }

    public IEnumerable<(string Name, float[] Data)> State()
        => parameters.SelectMany((p, i) => new[] { ($"{p.Name}.adam_m", _m[i]), ($"{p.Name}.adam_v", _v[i]) });
}
