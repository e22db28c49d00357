using InMood.Engine.Layers;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace InMood.Engine.Training;

/// <summary>Clips gradients by their global L2 norm: if ||g|| &gt; max, every g *= max / ||g||.</summary>
public static class GradientClipping
{
    /// <summary>Returns the norm before clipping.</summary>
    public static float ClipByGlobalNorm(IReadOnlyList<(string Name, Parameter Parameter)> parameters, float maxNorm)
    {
        double squares = 0;
        foreach ((_, Parameter p) in parameters)
        {
            squares += TensorPrimitives.Dot(p.Grad, p.Grad);
        }

        float norm = (float)Math.Sqrt(squares);
        if (norm > maxNorm && norm > 0f)
        {
            float scale = maxNorm / norm;
            foreach ((_, Parameter p) in parameters)
            {
                TensorPrimitives.Multiply(p.Grad, scale, p.Grad);
            }
        }

        return norm;
    }
}
