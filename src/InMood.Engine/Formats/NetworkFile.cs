using System.Numerics.Tensors;
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
        byte[] bytes = InputFile.ReadAllBytes(path);

        return Load(bytes, path);
    }

    /// <summary>
    /// Rebuilds the network from a file's bytes in memory (e.g. a resource mapped with the binary), copying each
    /// tensor once, straight into the network's own arrays; errors start with <paramref name="name"/>.
    /// </summary>
    public static (Network Network, IReadOnlyDictionary<string, string> Metadata) Load(ReadOnlySpan<byte> bytes, string name)
    {
        try
        {
            StateFiller? state = null;
            IReadOnlyDictionary<string, string> metadata = SafeTensors.Visit(bytes, header =>
            {
                state = new StateFiller(FromMetadata(header));
                return (tensor, shape, raw) => SafeTensors.CopyValues(raw, state.Target(tensor, shape));
            });
            state!.Finish();
            return (state.Network, metadata);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{name}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Rebuilds the network from tensors and metadata already read (<see cref="SafeTensors.Read"/>), for a caller that
    /// needs the metadata before it knows the file is a network.
    /// </summary>
    public static Network FromTensors(IReadOnlyList<SafeTensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Network network = FromMetadata(metadata);
        LoadState(network, tensors);
        return network;
    }

    /// <summary>An untrained network built from the architecture recorded in a file's metadata.</summary>
    private static Network FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(ArchitectureKey, out string? spec))
        {
            throw new InvalidDataException($"no '{ArchitectureKey}' entry in __metadata__, so the network cannot be rebuilt.");
        }

        try
        {
            return Network.FromSpec(spec);
        }
        catch (FormatException e)
        {
            throw new InvalidDataException(e.Message, e);
        }
    }

    /// <summary>Copies tensors into the network's state; every state tensor must be present once with its exact shape.</summary>
    public static void LoadState(Network network, IReadOnlyList<SafeTensor> tensors)
    {
        var state = new StateFiller(network);
        foreach (SafeTensor tensor in tensors)
        {
            tensor.Data.CopyTo(state.Target(tensor.Name, tensor.Shape));
        }

        state.Finish();
    }

    /// <summary>Hands out each state tensor of a network once, by name and exact shape, and checks that none was left out.</summary>
    private sealed class StateFiller(Network network)
    {
        private readonly Dictionary<string, (float[] Data, int[] Shape)> _state =
            network.State().ToDictionary(s => s.Name, s => (s.Data, s.Shape), StringComparer.Ordinal);

        private readonly HashSet<string> _filled = new(StringComparer.Ordinal);

        public Network Network => network;

        public Span<float> Target(string name, int[] shape)
        {
            if (!_state.TryGetValue(name, out (float[] Data, int[] Shape) target))
            {
                throw new InvalidDataException(name.StartsWith("optimizer.", StringComparison.Ordinal)
                    ? $"{name}: not part of the architecture (a training checkpoint? A model is the file inmood train writes to --out)."
                    : $"{name}: not part of the architecture.");
            }

            if (!shape.SequenceEqual(target.Shape))
            {
                throw new InvalidDataException($"{name}: shape [{string.Join(", ", shape)}] does not match the architecture's [{string.Join(", ", target.Shape)}].");
            }

            if (!_filled.Add(name))
            {
                throw new InvalidDataException($"{name}: given twice.");
            }

            return target.Data;
        }

        /// <summary>Checks that every state tensor was given and holds only finite values (a diverged run writes NaN).</summary>
        public void Finish()
        {
            foreach ((string name, (float[] data, int[] shape)) in _state)
            {
                if (!_filled.Contains(name))
                {
                    throw new InvalidDataException($"{name}: missing (the architecture needs shape [{string.Join(", ", shape)}]).");
                }

                // NOTE: one vectorised sum finds any NaN or infinity (they make it non-finite); only then is the tensor searched.
                if (!float.IsFinite(TensorPrimitives.Sum(data)) && Array.FindIndex(data, v => !float.IsFinite(v)) is int index and >= 0)
                {
                    throw new InvalidDataException($"{name}: value {index} is {data[index]}; a model holds finite numbers (did its training diverge?).");
                }
            }
        }
    }
}
