using InMood.Engine.Layers;
using InMood.Engine.Networks;

namespace InMood.Training;

/// <summary>
/// Embeds a trained inference network into a wider one of the same layout (more channels per conv, more dense
/// units) so that the wide one computes the same function: a warm start for a wider model. Every weight tensor is
/// viewed as [O, I, R] (O outputs, I input channels, R the rest: kernel taps, or the spatial positions of a flattened
/// feature map for the dense layer after a flatten). The wide W[o, i, r] is the trained W[o, i, r] where o and i are
/// both old; 0 where o is old and i is new, so old outputs ignore the new inputs; and N(0, 2 / (I * R)) where o is
/// new, so the new channels start as He-initialised features of everything below them. New biases are 0. The new
/// channels' outputs therefore reach nothing until training moves their zero outgoing weights.
/// </summary>
public static class NetworkWidening
{
    /// <summary>
    /// Overwrites every parameter of <paramref name="wide"/> with <paramref name="narrow"/>'s embedded as above, drawing
    /// the new weights from <paramref name="seed"/>. Both must be inference networks with the same nodes in the same
    /// order and no dimension of <paramref name="narrow"/> larger than <paramref name="wide"/>'s.
    /// </summary>
    public static void Embed(Network narrow, Network wide, int seed)
    {
        if (narrow.Nodes.Count != wide.Nodes.Count)
        {
            throw new InvalidDataException($"it has {narrow.Nodes.Count} nodes and the wider network {wide.Nodes.Count}, so it cannot be widened into it.");
        }

        var random = new Random(seed);
        for (int n = 0; n < wide.Nodes.Count; n++)
        {
            Node from = narrow.Nodes[n];
            Node to = wide.Nodes[n];
            if (from.Name != to.Name || from.Layer?.Kind != to.Layer?.Kind)
            {
                throw new InvalidDataException($"node {n} is '{from.Name}' ({from.Layer?.Kind}) but the wider network has '{to.Name}' ({to.Layer?.Kind}).");
            }

            if (to.Layer is null)
            {
                continue;
            }

            if (to.Layer is Conv2d { Groups: not 1 })
            {
                throw new InvalidDataException($"{to.Name}: grouped convs cannot be widened this way.");
            }

            int rest = to.Layer is Dense && to.Inputs.Length == 1 && wide.Nodes[to.Inputs[0]].Layer is Flatten
                ? wide.Nodes[wide.Nodes[to.Inputs[0]].Inputs[0]].Shape.Plane
                : 0;
            for (int p = 0; p < to.Layer.Parameters.Count; p++)
            {
                Parameter source = from.Layer!.Parameters[p];
                Parameter target = to.Layer.Parameters[p];
                int[] sourceShape = View(source.Dimensions, rest);
                int[] targetShape = View(target.Dimensions, rest);
                if (sourceShape.Length != targetShape.Length || sourceShape.Zip(targetShape).Any(d => d.First > d.Second)
                    || (sourceShape.Length == 3 && sourceShape[2] != targetShape[2]))
                {
                    throw new InvalidDataException($"{to.Name}.{target.Name}: shape [{string.Join(", ", source.Dimensions)}] does not embed in [{string.Join(", ", target.Dimensions)}].");
                }

                Embed(source.Value, sourceShape, target.Value, targetShape, random);
            }
        }
    }

    /// <summary>A parameter's dimensions as [O] (a bias) or [O, I, R]; a dense weight after a flatten splits I*R by R.</summary>
    private static int[] View(int[] dimensions, int rest)
    {
        if (dimensions.Length == 1)
        {
            return dimensions;
        }

        if (rest > 0 && dimensions.Length == 2)
        {
            return [dimensions[0], dimensions[1] / rest, rest];
        }

        int r = 1;
        for (int d = 2; d < dimensions.Length; d++)
        {
            r *= dimensions[d];
        }

        return [dimensions[0], dimensions[1], r];
    }

    /// <summary>source is [O, I, R] (or [O]), target [O', I', R] (or [O']) with O' >= O and I' >= I; see the class summary.</summary>
    private static void Embed(float[] source, int[] sourceShape, float[] target, int[] targetShape, Random random)
    {
        if (sourceShape.Length == 1)
        {
            Array.Clear(target);
            source.CopyTo(target, 0);
            return;
        }

        int oldOutputs = sourceShape[0], oldInputs = sourceShape[1];
        int outputs = targetShape[0], inputs = targetShape[1], rest = targetShape[2];
        float std = MathF.Sqrt(2f / (inputs * rest));
        for (int o = 0; o < outputs; o++)
        {
            for (int i = 0; i < inputs; i++)
            {
                Span<float> row = target.AsSpan((o * inputs + i) * rest, rest);
                if (o >= oldOutputs)
                {
                    for (int r = 0; r < rest; r++)
                    {
                        row[r] = std * (float)random.NextGaussian();
                    }
                }
                else if (i < oldInputs)
                {
                    source.AsSpan((o * oldInputs + i) * rest, rest).CopyTo(row);
                }
                else
                {
                    row.Clear();
                }
            }
        }
    }

}
