using InMood.Engine.Layers;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace InMood.Engine.Networks;

/// <summary>
/// Averaging ensembles as one network, y = (1 / n) sum over i of f_i(x), so files, evaluation, classification and
/// ONNX export treat an ensemble like any other network.
/// </summary>
public static class Ensemble
{
    /// <summary>
    /// One network holding copies of the members, their nodes renamed "m{i}_{name}". Each member must end in a dense
    /// layer, whose copy has its weights and bias scaled by 1 / n; Add nodes ("sum{i}", the last one "average") total
    /// the members' outputs. Shapes: every member maps the same input shape to the same output shape, as does the result.
    /// </summary>
    public static Network Average(IReadOnlyList<Network> members)
    {
        if (members.Count < 2)
        {
            throw new ArgumentException($"An ensemble needs at least two members; got {members.Count}.");
        }

        Network first = members[0];
        string input = first.Nodes[0].Name;
        var builder = new NetworkBuilder(first.InputShape, input);
        float scale = 1f / members.Count;
        string? total = null;
        for (int m = 0; m < members.Count; m++)
        {
            Network member = members[m];
            if (member.InputShape != first.InputShape || member.OutputShape != first.OutputShape)
            {
                throw new ArgumentException(
                    $"Member {m} maps {member.InputShape} to {member.OutputShape}; member 0 maps {first.InputShape} to {first.OutputShape}.");
            }

            if (member.Nodes[^1].Layer is not Dense)
            {
                throw new ArgumentException($"Member {m} ends in {member.Nodes[^1].Layer?.Kind ?? "its input"}, not a dense layer whose output can be scaled.");
            }

            var names = new string[member.Nodes.Count];
            names[0] = input;
            for (int i = 1; i < member.Nodes.Count; i++)
            {
                Node node = member.Nodes[i];
                string[] inputs = [.. node.Inputs.Select(j => names[j])];
                Layer copy = LayerFactory.Clone(node.Layer!, builder, inputs);
                if (i == member.Nodes.Count - 1)
                {
                    var output = (Dense)copy;
                    TensorPrimitives.Multiply(output.Weight.Value, scale, output.Weight.Value);
                    TensorPrimitives.Multiply(output.Bias.Value, scale, output.Bias.Value);
                }

                names[i] = builder.Add($"m{m}_{node.Name}", copy, inputs);
            }

            total = total is null ? names[^1] : builder.Add(m == members.Count - 1 ? "average" : $"sum{m}", new Add(), total, names[^1]);
        }

        return builder.Build();
    }
}
