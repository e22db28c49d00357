using InMood.Engine.Layers;

namespace InMood.Engine.Networks;

/// <summary>
/// He (Kaiming) normal initialisation for ReLU networks: W ~ N(0, 2 / fan_in), biases 0, norm scales 1; the
/// output layer (the last parameterised node) instead gets W ~ N(0, 0.01^2), so the first logits are near zero
/// and the initial loss is about ln(classes) rather than several times that.
/// </summary>
public static class Initializer
{
    public static void HeNormal(Network network, int seed)
    {
        var random = new Random(seed);
        Parameter? output = network.Parameters().LastOrDefault(p => p.Parameter.Decay).Parameter;
        foreach ((string name, Parameter p) in network.Parameters())
        {
            if (!p.Decay)
            {
                continue;
            }

            int fanIn = 1;
            for (int i = 1; i < p.Dimensions.Length; i++)
            {
                fanIn *= p.Dimensions[i];
            }

            float std = ReferenceEquals(p, output) ? 0.01f : MathF.Sqrt(2f / fanIn);
            for (int i = 0; i < p.Value.Length; i++)
            {
                p.Value[i] = std * (float)random.NextGaussian();
            }
        }
    }

    /// <summary>A standard normal sample (Box-Muller).</summary>
    public static double NextGaussian(this Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
