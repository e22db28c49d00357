using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace InMood.Engine.Formats;

/// <summary>
/// The safetensors format, F32 only: [u64 little-endian header length N][N bytes of JSON][data].
/// The JSON maps each tensor name to {"dtype", "shape", "data_offsets": [begin, end]} (offsets relative to
/// the data start) plus an optional "__metadata__" string map. The reader rejects, with an
/// <see cref="InvalidDataException"/> naming the tensor: headers over 100 MB or past the end, invalid JSON,
/// dtypes other than F32, offsets that do not match shape x 4 bytes, gaps, overlaps, bytes left over,
/// and duplicate names.
/// </summary>
public static class SafeTensors
{
    /// <summary>Largest accepted JSON header, as in the reference implementation.</summary>
    public const int MaxHeaderBytes = 100 * 1024 * 1024;

    private const string MetadataKey = "__metadata__";

    /// <summary>Reads and validates a file; the message of any error starts with the path.</summary>
    public static (IReadOnlyList<SafeTensor> Tensors, IReadOnlyDictionary<string, string> Metadata) Read(string path)
    {
        byte[] bytes = InputFile.ReadAllBytes(path);

        try
        {
            return Parse(bytes);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Parses and validates safetensors bytes.</summary>
    public static (IReadOnlyList<SafeTensor> Tensors, IReadOnlyDictionary<string, string> Metadata) Parse(ReadOnlySpan<byte> bytes)
    {
        var tensors = new List<SafeTensor>();
        IReadOnlyDictionary<string, string> metadata = Visit(bytes, _ => (name, shape, raw) =>
        {
            float[] values = new float[raw.Length / 4];
            CopyValues(raw, values);
            tensors.Add(new SafeTensor(name, shape, values));
        });
        return (tensors, metadata);
    }

    /// <summary>
    /// Validates a file in memory, passes its metadata to <paramref name="open"/>, and hands each tensor's name, shape
    /// and raw F32 bytes to the visitor <paramref name="open"/> returned, without copying them (so a caller can
    /// build its destination from the metadata and copy each tensor straight into it); returns the metadata.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Visit(ReadOnlySpan<byte> bytes, Func<IReadOnlyDictionary<string, string>, SafeTensorVisitor> open)
    {
        (List<Entry> entries, Dictionary<string, string> metadata, int dataStart) = ParseLayout(bytes);
        SafeTensorVisitor visit = open(metadata);
        ReadOnlySpan<byte> data = bytes[dataStart..];
        foreach (Entry e in entries)
        {
            visit(e.Name, e.Shape, data.Slice((int)e.Begin, (int)(e.End - e.Begin)));
        }

        return metadata;
    }

    /// <summary>Decodes F32 little-endian bytes into <paramref name="destination"/>. Shapes: raw [4 n] -> destination [n].</summary>
    public static void CopyValues(ReadOnlySpan<byte> raw, Span<float> destination)
    {
        if (BitConverter.IsLittleEndian)
        {
            raw.CopyTo(MemoryMarshal.AsBytes(destination));
            return;
        }

        for (int i = 0; i < raw.Length / 4; i++)
        {
            destination[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(i * 4)..]);
        }
    }

    private static (List<Entry> Entries, Dictionary<string, string> Metadata, int DataStart) ParseLayout(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 8)
        {
            throw new InvalidDataException($"file is {bytes.Length} bytes, shorter than the 8-byte header length.");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > MaxHeaderBytes)
        {
            throw new InvalidDataException($"header length {headerLength} exceeds the {MaxHeaderBytes}-byte limit: not a safetensors file.");
        }

        if (headerLength > (ulong)(bytes.Length - 8))
        {
            throw new InvalidDataException($"header length {headerLength} runs past the end of the {bytes.Length}-byte file.");
        }

        int dataStart = 8 + (int)headerLength;
        List<Entry> entries = ParseHeader(bytes.Slice(8, (int)headerLength), out Dictionary<string, string> metadata);
        ValidateLayout(entries, bytes.Length - dataStart);
        return (entries, metadata, dataStart);
    }

    /// <summary>Serialises tensors (in the given order) and metadata to safetensors bytes.</summary>
    public static byte[] Serialize(IReadOnlyList<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                writer.WriteStartObject(MetadataKey);
                foreach ((string key, string value) in metadata)
                {
                    writer.WriteString(key, value);
                }

                writer.WriteEndObject();
            }

            long offset = 0;
            foreach (SafeTensor t in tensors)
            {
                if (t.Name == MetadataKey || !names.Add(t.Name))
                {
                    throw new ArgumentException($"Tensor name '{t.Name}' is reserved or used twice.");
                }

                long elements = t.Shape.Aggregate(1L, (a, d) => a * d);
                if (t.Shape.Any(d => d < 0) || elements != t.Data.Length)
                {
                    throw new ArgumentException($"{t.Name}: shape [{string.Join(", ", t.Shape)}] does not hold {t.Data.Length} values.");
                }

                writer.WriteStartObject(t.Name);
                writer.WriteString("dtype", "F32");
                writer.WriteStartArray("shape");
                foreach (int d in t.Shape)
                {
                    writer.WriteNumberValue(d);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(offset + elements * 4);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset += elements * 4;
            }

            writer.WriteEndObject();
        }

        // NOTE: the header is padded with spaces to a multiple of 8 bytes so the data starts aligned.
        int headerLength = (int)((json.Length + 7) / 8 * 8);
        long total = 8 + headerLength + tensors.Sum(t => (long)t.Data.Length * 4);
        byte[] bytes = new byte[total];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)headerLength);
        json.GetBuffer().AsSpan(0, (int)json.Length).CopyTo(bytes.AsSpan(8));
        bytes.AsSpan(8 + (int)json.Length, headerLength - (int)json.Length).Fill((byte)' ');
        int position = 8 + headerLength;
        foreach (SafeTensor t in tensors)
        {
            Span<byte> target = bytes.AsSpan(position, t.Data.Length * 4);
            if (BitConverter.IsLittleEndian)
            {
                MemoryMarshal.AsBytes(t.Data.AsSpan()).CopyTo(target);
            }
            else
            {
                for (int i = 0; i < t.Data.Length; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(target[(i * 4)..], t.Data[i]);
                }
            }

            position += target.Length;
        }

        return bytes;
    }

    /// <summary>Writes a file atomically (temporary file, then rename).</summary>
    public static void Write(string path, IReadOnlyList<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        byte[] bytes = Serialize(tensors, metadata);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    private static List<Entry> ParseHeader(ReadOnlySpan<byte> header, out Dictionary<string, string> metadata)
    {
        metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var entries = new List<Entry>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(header, new JsonReaderOptions { MaxDepth = 8 });
        try
        {
            Expect(ref reader, JsonTokenType.StartObject, "the header");
            while (Next(ref reader) != JsonTokenType.EndObject)
            {
                string name = reader.GetString()!;
                if (!names.Add(name))
                {
                    throw new InvalidDataException($"{name}: the name appears twice in the header.");
                }

                if (name == MetadataKey)
                {
                    Expect(ref reader, JsonTokenType.StartObject, MetadataKey);
                    while (Next(ref reader) != JsonTokenType.EndObject)
                    {
                        string key = reader.GetString()!;
                        Expect(ref reader, JsonTokenType.String, $"{MetadataKey}.{key}");
                        metadata[key] = reader.GetString()!;
                    }

                    continue;
                }

                entries.Add(ParseEntry(ref reader, name));
            }

            // NOTE: one more Read makes the reader reject anything after the closing brace but whitespace (the
            // padding); it throws JsonException there, so it never returns true.
            bool more = reader.Read();
            System.Diagnostics.Debug.Assert(!more);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the header is not valid JSON: {e.Message}", e);
        }

        return entries;
    }

    private static Entry ParseEntry(ref Utf8JsonReader reader, string name)
    {
        Expect(ref reader, JsonTokenType.StartObject, name);
        string? dtype = null;
        List<int>? shape = null;
        List<long>? offsets = null;
        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            string field = reader.GetString()!;
            switch (field)
            {
                case "dtype":
                    Expect(ref reader, JsonTokenType.String, $"{name}.dtype");
                    dtype = reader.GetString();
                    break;
                case "shape":
                    shape = ReadNumbers(ref reader, $"{name}.shape").Select(v => v <= int.MaxValue ? (int)v : throw new InvalidDataException($"{name}: dimension {v} is too large.")).ToList();
                    break;
                case "data_offsets":
                    offsets = ReadNumbers(ref reader, $"{name}.data_offsets");
                    break;
                default:
                    throw new InvalidDataException($"{name}: unknown field '{field}'.");
            }
        }

        if (dtype is null || shape is null || offsets is null)
        {
            throw new InvalidDataException($"{name}: needs dtype, shape and data_offsets.");
        }

        if (dtype != "F32")
        {
            throw new InvalidDataException($"{name}: dtype {dtype} is not supported (only F32).");
        }

        if (offsets.Count != 2 || offsets[1] < offsets[0])
        {
            throw new InvalidDataException($"{name}: data_offsets [{string.Join(", ", offsets)}] must be [begin, end] with begin <= end.");
        }

        long elements = 1;
        foreach (int d in shape)
        {
            elements *= d;
            if (elements > int.MaxValue)
            {
                throw new InvalidDataException($"{name}: shape [{string.Join(", ", shape)}] has too many elements.");
            }
        }

        if (offsets[1] - offsets[0] != elements * 4)
        {
            throw new InvalidDataException($"{name}: data_offsets [{offsets[0]}, {offsets[1]}] do not match shape [{string.Join(", ", shape)}] ({elements * 4} bytes of F32).");
        }

        return new Entry(name, shape.ToArray(), offsets[0], offsets[1]);
    }

    private static void ValidateLayout(List<Entry> entries, int dataLength)
    {
        long expected = 0;
        foreach (Entry e in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (e.End > dataLength)
            {
                throw new InvalidDataException($"{e.Name}: data_offsets [{e.Begin}, {e.End}] run past the {dataLength} data bytes.");
            }

            if (e.Begin != expected)
            {
                string problem = e.Begin > expected ? "leaves a gap after" : "overlaps";
                throw new InvalidDataException($"{e.Name}: data_offsets [{e.Begin}, {e.End}] {problem} the previous tensor (which ends at {expected}).");
            }

            expected = e.End;
        }

        if (expected != dataLength)
        {
            throw new InvalidDataException($"{dataLength - expected} data bytes after the last tensor belong to no tensor.");
        }
    }

    private static List<long> ReadNumbers(ref Utf8JsonReader reader, string what)
    {
        Expect(ref reader, JsonTokenType.StartArray, what);
        var values = new List<long>();
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long v) || v < 0)
            {
                throw new InvalidDataException($"{what}: expected non-negative integers.");
            }

            if (values.Count >= 64)
            {
                throw new InvalidDataException($"{what}: more than 64 entries.");
            }

            values.Add(v);
        }

        return values;
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new InvalidDataException("the header JSON ends early.");
        }

        return reader.TokenType;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what)
    {
        if (Next(ref reader) != type)
        {
            throw new InvalidDataException($"{what}: expected {type}, found {reader.TokenType}.");
        }
    }

    private readonly record struct Entry(string Name, int[] Shape, long Begin, long End);
}

/// <summary>Receives one tensor of a safetensors file: its name, shape and raw F32 little-endian bytes (4 per value).</summary>
public delegate void SafeTensorVisitor(string name, int[] shape, ReadOnlySpan<byte> values);
