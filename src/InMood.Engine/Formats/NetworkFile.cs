using InMood.Engine.Networks;

namespace InMood.Engine.Formats;

/// <summary>
/// A network in one safetensors file: its state tensors by name (e.g. "conv1.weight", "bn1.running_mean")
/// and its architecture spec in the metadata key <see cref="ArchitectureKey"/>, so the file alone rebuilds it.
/// </summary>
public static class NetworkFile
{
    public const string ArchitectureKey = "inmood.architecture";

    /// <summary>Writes the network atomically; <paramref name="metadata"/> adds entries (class names, training run, ...).</summary>
    public static void Save(Network network, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var all = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [ArchitectureKey] = network.ToSpec(),
        };
        SafeTensors.Write(path, network.State().Select(s => new SafeTensor(s.Name, s.Shape, s.Data)).ToList(), all);
    }

    /// <summary>Rebuilds the network from a file; errors name the file and the tensor.</summary>
    public static (Network Network, IReadOnlyDictionary<string, string> Metadata) Load(string path)
    {
        (IReadOnlyList<SafeTensor> tensors, IReadOnlyDictionary<string, string> metadata) = SafeTensors.Read(path);
        if (!metadata.TryGetValue(ArchitectureKey, out string? spec))
        {
            throw new InvalidDataException($"{path}: no '{ArchitectureKey}' entry in __metadata__, so the network cannot be rebuilt.");
        }

        Network network;
        try
        {
            network = Network.FromSpec(spec);
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }

        try
        {
            LoadState(network, tensors);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }

        return (network, metadata);
    }

    /// <summary>Copies tensors into the network's state; every state tensor must be present once with its exact shape.</summary>
    public static void LoadState(Network network, IReadOnlyList<SafeTensor> tensors)
    {
        var byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        int used = 0;
        foreach ((string name, float[] data, int[] shape) in network.State())
        {
            if (!byName.TryGetValue(name, out SafeTensor? tensor))
            {
                throw new InvalidDataException($"{name}: missing (the architecture needs shape [{string.Join(", ", shape)}]).");
            }

            if (!tensor.Shape.SequenceEqual(shape))
            {
                throw new InvalidDataException($"{name}: shape [{string.Join(", ", tensor.Shape)}] does not match the architecture's [{string.Join(", ", shape)}].");
            }

            tensor.Data.CopyTo(data, 0);
            used++;
        }

        if (used != byName.Count)
        {
            var known = network.State().Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
            string extra = byName.Keys.First(k => !known.Contains(k));
            throw new InvalidDataException($"{extra}: not part of the architecture.");
        }
    }
}
