using System.Globalization;
using InMood.Engine.Layers;
using InMood.Engine.Tensors;

namespace InMood.Engine.Networks;

/// <summary>
/// Turns architecture spec text into layers and back. Grammar, one node per line:
/// <c>input CxHxW</c> first, then <c>name = kind(input1,input2) key=value ...</c>; blank lines and lines
/// starting with '#' are ignored. Unknown kinds or settings are errors naming the line.
/// </summary>
public static class LayerFactory
{
    /// <summary>Builds a network with fresh (zero) parameters from spec text.</summary>
    public static Network Build(string spec)
    {
        string[] lines = spec.Split('\n', StringSplitOptions.TrimEntries);
        NetworkBuilder? builder = null;
        for (int number = 1; number <= lines.Length; number++)
        {
            string line = lines[number - 1];
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            try
            {
                if (builder is null)
                {
                    string[] head = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (head.Length != 2)
                    {
                        throw new FormatException("the first line must be '<input name> CxHxW'");
                    }

                    builder = new NetworkBuilder(Shape.Parse(head[1]), head[0]);
                    continue;
                }

                ParseNode(line, out string name, out string kind, out string[] inputs, out Dictionary<string, string> settings);
                Shape[] shapes = inputs.Select(builder.ShapeOf).ToArray();
                builder.Add(name, Create(kind, settings, shapes), inputs);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or KeyNotFoundException or OverflowException)
            {
                throw new FormatException($"Architecture line {number} ('{line}'): {e.Message}", e);
            }
        }

        return builder?.Build() ?? throw new FormatException("Architecture spec is empty.");
    }

    /// <summary>A new layer of the same kind and settings with a copy of <paramref name="layer"/>'s parameters and statistics.</summary>
    internal static Layer Clone(Layer layer, NetworkBuilder builder, string[] inputs)
    {
        Shape[] shapes = inputs.Select(builder.ShapeOf).ToArray();
        Layer copy = Create(layer.Kind, layer.Settings().ToDictionary(p => p.Key, p => p.Value), shapes);
        for (int i = 0; i < layer.Parameters.Count; i++)
        {
            layer.Parameters[i].Value.CopyTo(copy.Parameters[i].Value, 0);
        }

        if (layer is BatchNorm2d bn && copy is BatchNorm2d bnCopy)
        {
            bn.RunningMean.CopyTo(bnCopy.RunningMean, 0);
            bn.RunningVar.CopyTo(bnCopy.RunningVar, 0);
        }

        return copy;
    }

    /// <summary>Creates a layer from its kind and settings; input shapes supply channel counts.</summary>
    public static Layer Create(string kind, IReadOnlyDictionary<string, string> settings, IReadOnlyList<Shape> inputs)
    {
        var reader = new SettingsReader(kind, settings);
        Layer layer = kind switch
        {
            "conv2d" => new Conv2d(
                inputs[0].Channels, reader.Int("out"), Geometry(reader), reader.Int("groups", 1), reader.Bool("bias", true))
            { FusedRelu = reader.Bool("relu", false) },
            "batchnorm2d" => new BatchNorm2d(inputs[0].Channels, reader.Float("eps", 1e-5f), reader.Float("momentum", 0.1f))
            { FusedRelu = reader.Bool("relu", false) },
            "relu" => new Relu(),
            "maxpool2d" => new MaxPool2d(Geometry(reader)),
            "avgpool2d" => new AvgPool2d(Geometry(reader), reader.Bool("count_pad", false)),
            "globalavgpool2d" => new GlobalAvgPool2d(),
            "dense" => new Dense(inputs[0].Size, reader.Int("out")),
            "dropout" => new Dropout(reader.Float("p")),
            "flatten" => new Flatten(),
            "add" => new Add(),
            "concat" => new Concat(inputs.Count),
            "softmax" => new Softmax(),
            _ => throw new FormatException($"unknown layer kind '{kind}'"),
        };
        reader.ThrowOnUnused();
        return layer;
    }

    private static ConvGeometry Geometry(SettingsReader reader)
    {
        (int kh, int kw) = reader.Pair("kernel");
        (int sh, int sw) = reader.Has("stride") ? reader.Pair("stride") : (kh, kw);
        int[] pad = reader.Has("pad") ? reader.Ints("pad") : [0];
        int[] p = pad.Length switch
        {
            1 => [pad[0], pad[0], pad[0], pad[0]],
            4 => pad,
            _ => throw new FormatException("pad must be one value or top,left,bottom,right"),
        };
        return new ConvGeometry(kh, kw, sh, sw, p[0], p[1], p[2], p[3]);
    }

    private static void ParseNode(string line, out string name, out string kind, out string[] inputs, out Dictionary<string, string> settings)
    {
        int eq = line.IndexOf('=');
        int open = line.IndexOf('(');
        int close = line.IndexOf(')');
        if (eq <= 0 || open < eq || close < open)
        {
            throw new FormatException("expected 'name = kind(inputs) key=value ...'");
        }

        name = line[..eq].Trim();
        kind = line[(eq + 1)..open].Trim();
        inputs = line[(open + 1)..close].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string part in line[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int split = part.IndexOf('=');
            if (split <= 0 || !settings.TryAdd(part[..split], part[(split + 1)..]))
            {
                throw new FormatException($"setting '{part}' is not key=value or repeats a key");
            }
        }
    }

    /// <summary>Typed access to key=value settings that remembers which keys were read.</summary>
    private sealed class SettingsReader(string kind, IReadOnlyDictionary<string, string> settings)
    {
        private readonly HashSet<string> _used = new(StringComparer.Ordinal);

        public bool Has(string key) => settings.ContainsKey(key);

        public int Int(string key) => Get(key, ParseInt, null);

        public int Int(string key, int fallback) => Get(key, ParseInt, () => fallback);

        public float Float(string key) => Get(key, ParseFloat, null);

        public float Float(string key, float fallback) => Get(key, ParseFloat, () => fallback);

        public bool Bool(string key, bool fallback) => Get(key, ParseBool, () => fallback);

        public int[] Ints(string key) => Get(key, s => s.Split(',').Select(ParseInt).ToArray(), null);

        public (int, int) Pair(string key) => Get(key, ParsePair, null);

        public void ThrowOnUnused()
        {
            string? unknown = settings.Keys.FirstOrDefault(k => !_used.Contains(k));
            if (unknown is not null)
            {
                throw new FormatException($"{kind} has no setting '{unknown}'");
            }
        }

        private T Get<T>(string key, Func<string, T> parse, Func<T>? fallback)
        {
            _used.Add(key);
            if (settings.TryGetValue(key, out string? text))
            {
                return parse(text);
            }

            return fallback is not null ? fallback() : throw new FormatException($"{kind} needs the setting '{key}'");
        }

        private static int ParseInt(string text) => int.Parse(text, CultureInfo.InvariantCulture);

        private static float ParseFloat(string text) => float.Parse(text, CultureInfo.InvariantCulture);

        private bool ParseBool(string text) => text switch
        {
            "true" => true,
            "false" => false,
            _ => throw new FormatException($"{kind}: expected true or false, got '{text}'"),
        };

        private (int, int) ParsePair(string text)
        {
            string[] parts = text.Split('x');
            return parts.Length switch
            {
                1 => (ParseInt(parts[0]), ParseInt(parts[0])),
                2 => (ParseInt(parts[0]), ParseInt(parts[1])),
                _ => throw new FormatException($"{kind}: expected N or NxM, got '{text}'"),
            };
        }
    }
}
