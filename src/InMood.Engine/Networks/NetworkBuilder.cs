using InMood.Engine.Layers;
using InMood.Engine.Tensors;

namespace InMood.Engine.Networks;

/// <summary>
/// Assembles a <see cref="Network"/> node by node. Each added layer's input shapes are checked as it is
/// added (the layer throws naming the mismatch), so a wrongly wired network fails at construction.
/// </summary>
public sealed class NetworkBuilder
{
    private readonly List<Node> _nodes = [];
    private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);

    public NetworkBuilder(Shape input, string inputName = "input")
    {
        _nodes.Add(new Node(inputName, null, [], input));
        _byName[inputName] = 0;
    }

    /// <summary>Name of the most recently added node (the default input of the next layer).</summary>
    public string Last => _nodes[^1].Name;

    /// <summary>Per-sample output shape of a node added so far.</summary>
    public Shape ShapeOf(string name) => _nodes[Index(name)].Shape;

    /// <summary>Adds <paramref name="layer"/> reading <paramref name="inputs"/> (default: the last node) and returns its name.</summary>
    public string Add(string name, Layer layer, params string[] inputs)
    {
        if (_byName.ContainsKey(name))
        {
            throw new ArgumentException($"Node name '{name}' is used twice.");
        }

        string[] sources = inputs.Length == 0 ? [Last] : inputs;
        if (sources.Length != layer.Arity)
        {
            throw new ArgumentException($"{name}: {layer.Kind} takes {layer.Arity} input(s), got {sources.Length}.");
        }

        int[] indices = sources.Select(Index).ToArray();
        Shape[] shapes = indices.Select(i => _nodes[i].Shape).ToArray();
        Shape shape;
        try
        {
            shape = layer.OutputShape(shapes);
            if ((long)shape.Channels * shape.Height * shape.Width > Shape.MaxSize)
            {
                throw new ArgumentException($"its output {shape} holds more than {Shape.MaxSize:N0} values per sample");
            }
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{name}: {e.Message}", e);
        }

        _byName[name] = _nodes.Count;
        _nodes.Add(new Node(name, layer, indices, shape));
        return name;
    }

    public Network Build() => new(_nodes.ToArray());

    private int Index(string name) => _byName.TryGetValue(name, out int index)
        ? index
        : throw new ArgumentException($"No node named '{name}' precedes this one.");
}
