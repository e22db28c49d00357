using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Unicode;

namespace InMood.Music;

/// <summary>
/// The music catalogue shipped inside this assembly: 18,644 tracks from the Deezer Mood Detection
/// Dataset (Delbouys et al., ISMIR 2018), with artist, title, Deezer id and valence/arousal.
/// </summary>
/// <remarks>
/// File format (<see cref="Load"/> and <see cref="Write"/> take it gzip-compressed, whose CRC-32 guards it; the
/// embedded resource is the bare payload, copied once out of the binary's mapping with no inflate):
/// <code>
/// "IMCAT001"                      8 bytes magic and version
/// int32 artistCount, int32 trackCount        little-endian
/// artistCount x { uint16 byteLength, UTF-8 name }
/// trackCount  x { int32 deezerId, uint16 artistIndex, int16 valence, int16 arousal,
///                 uint16 byteLength, UTF-8 title }
/// </code>
/// valence and arousal are stored as round(value * 32767), value in [-1, 1]. Nothing may follow
/// the last track. Rebuild: tests/InMood.Music.Tests/CatalogueGenerationTests.cs.
/// NOTE: the tracks are held as columns (ids, artist indices, valence, arousal) over the UTF-8 text, and a
/// <see cref="Track"/> with its strings is made only when asked for: a run reads the numbers of every track but
/// plays a handful, and 18,644 records with two strings each were about 2.5 MB of fresh pages and a garbage
/// collection in every cold start.
/// </remarks>
public sealed class Catalogue
{
    /// <summary>Name of the embedded resource holding the shipped catalogue.</summary>
    public const string ResourceName = "InMood.Music.Resources.deezer-mood.imcat";

    private const float Scale = 32767f;
    private const int MaxTracks = 1_000_000;

    /// <summary>Largest payload whose size the gzip trailer may announce up front (larger ones still load, growing as they go).</summary>
    private const int MaxAnnouncedPayload = 16 << 20;

    private static ReadOnlySpan<byte> Magic => "IMCAT001"u8;
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly Lazy<Catalogue> s_embedded = new(LoadEmbeddedUncached);

    private readonly byte[] _text;
    private readonly (int Start, int Length)[] _artistNames;
    private readonly (int Start, int Length)[] _titles;
    private readonly int[] _artists;
    private readonly long[] _ids;
    private readonly float[] _valence;
    private readonly float[] _arousal;
    private CatalogueTracks? _tracks;

    /// <summary>Wraps tracks; valence and arousal must be in [-1, 1].</summary>
    public Catalogue(IReadOnlyList<Track> tracks)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        if (tracks.Count == 0)
        {
            throw new ArgumentException("tracks: a catalogue needs at least one track", nameof(tracks));
        }

        int count = tracks.Count;
        _titles = new (int, int)[count];
        _artists = new int[count];
        _ids = new long[count];
        _valence = new float[count];
        _arousal = new float[count];
        var artistIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var artistNames = new List<(int, int)>();
        using var text = new MemoryStream();
        for (int i = 0; i < count; i++)
        {
            Track track = tracks[i];
            if (!track.Mood.IsInRange)
            {
                throw new ArgumentException($"tracks[{i}]: valence/arousal ({track.Valence}, {track.Arousal}) outside [-1, 1]", nameof(tracks));
            }

            if (!artistIndex.TryGetValue(track.Artist, out int artist))
            {
                artist = artistNames.Count;
                artistIndex.Add(track.Artist, artist);
                artistNames.Add(Append(text, track.Artist));
            }

            _titles[i] = Append(text, track.Title);
            _artists[i] = artist;
            _ids[i] = track.DeezerId;
            _valence[i] = track.Valence;
            _arousal[i] = track.Arousal;
        }

        _text = text.ToArray();
        _artistNames = [.. artistNames];
    }

    private Catalogue(byte[] text, (int, int)[] artistNames, (int, int)[] titles, int[] artists, long[] ids, float[] valence, float[] arousal)
    {
        _text = text;
        _artistNames = artistNames;
        _titles = titles;
        _artists = artists;
        _ids = ids;
        _valence = valence;
        _arousal = arousal;
    }

    /// <summary>All tracks, in file order (each made when first read).</summary>
    public IReadOnlyList<Track> Tracks => _tracks ??= new CatalogueTracks(this);

    /// <summary>Number of tracks.</summary>
    public int Count => _ids.Length;

    /// <summary>The catalogue embedded in this assembly, loaded once per process.</summary>
    public static Catalogue Embedded => s_embedded.Value;

    /// <summary>Reads a gzip-compressed catalogue; <paramref name="sourceName"/> names it in error messages.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a valid catalogue (message names the source and the problem).</exception>
    public static Catalogue Load(Stream compressed, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(compressed);
        byte[] payload;
        try
        {
            payload = Decompress(compressed);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new InvalidDataException($"catalogue {sourceName}: corrupted compressed data ({e.Message})", e);
        }

        return Parse(payload, sourceName);
    }

    /// <summary>Reads an uncompressed catalogue payload; <paramref name="sourceName"/> names it in error messages.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a valid catalogue (message names the source and the problem).</exception>
    public static Catalogue Parse(ReadOnlySpan<byte> payload, string sourceName) => Parse(payload.ToArray(), sourceName);

    /// <summary>Writes this catalogue in the format described on the type, gzip-compressed.</summary>
    public void Write(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var payload = new MemoryStream();
        WritePayload(payload);
        using var gzip = new GZipStream(destination, CompressionLevel.SmallestSize, leaveOpen: true);
        payload.Position = 0;
        payload.CopyTo(gzip);
    }

    /// <summary>Writes this catalogue in the format described on the type, uncompressed (the embedded resource's form).</summary>
    public void WritePayload(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (_artistNames.Length > ushort.MaxValue)
        {
            throw new InvalidOperationException($"catalogue: {_artistNames.Length} artists do not fit the 16-bit artist index");
        }

        using (var writer = new BinaryWriter(destination, s_strictUtf8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(_artistNames.Length);
            writer.Write(Count);
            foreach ((int start, int length) in _artistNames)
            {
                WriteString(writer, _text.AsSpan(start, length));
            }

            for (int i = 0; i < Count; i++)
            {
                writer.Write(checked((int)_ids[i]));
                writer.Write((ushort)_artists[i]);
                writer.Write(Quantise(_valence[i]));
                writer.Write(Quantise(_arousal[i]));
                WriteString(writer, _text.AsSpan(_titles[i].Start, _titles[i].Length));
            }
        }
    }

    /// <summary>Track <paramref name="index"/>, made afresh (its artist and title decoded from the UTF-8 text).</summary>
    internal Track TrackAt(int index)
    {
        (int artistStart, int artistLength) = _artistNames[_artists[index]];
        (int titleStart, int titleLength) = _titles[index];
        return new Track(
            s_strictUtf8.GetString(_text, artistStart, artistLength),
            s_strictUtf8.GetString(_text, titleStart, titleLength),
            _ids[index],
            _valence[index],
            _arousal[index]);
    }

    /// <summary>Track <paramref name="index"/>'s Deezer id.</summary>
    internal long DeezerId(int index) => _ids[index];

    /// <summary>Track <paramref name="index"/>'s valence.</summary>
    internal float Valence(int index) => _valence[index];

    /// <summary>Track <paramref name="index"/>'s arousal.</summary>
    internal float Arousal(int index) => _arousal[index];

    /// <summary>True when tracks <paramref name="first"/> and <paramref name="second"/> have the same artist name (ordinal).</summary>
    /// <remarks>NOTE: a loaded file may list one name twice, so different indices still compare the names' bytes (valid UTF-8 is one-to-one with the text).</remarks>
    internal bool SameArtist(int first, int second)
    {
        int a = _artists[first], b = _artists[second];
        return a == b || _text.AsSpan(_artistNames[a].Start, _artistNames[a].Length).SequenceEqual(_text.AsSpan(_artistNames[b].Start, _artistNames[b].Length));
    }

    private static Catalogue LoadEmbeddedUncached()
    {
        using Stream stream = typeof(Catalogue).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidDataException($"catalogue {ResourceName}: embedded resource missing from {typeof(Catalogue).Assembly.GetName().Name}");
        var payload = new byte[stream.Length];
        stream.ReadExactly(payload);
        return Parse(payload, ResourceName);
    }

    /// <summary>
    /// Inflates the whole stream. A seekable stream's gzip trailer announces the payload size (ISIZE, the last four
    /// bytes), so the payload is read straight into an array of that size instead of a growing MemoryStream.
    /// </summary>
    private static byte[] Decompress(Stream compressed)
    {
        int announced = 0;
        if (compressed.CanSeek && compressed.Length - compressed.Position >= 18)
        {
            long start = compressed.Position;
            Span<byte> trailer = stackalloc byte[4];
            compressed.Seek(-4, SeekOrigin.End);
            compressed.ReadExactly(trailer);
            compressed.Position = start;
            announced = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(trailer), MaxAnnouncedPayload);
        }

        using var gzip = new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true);
        var payload = new byte[announced];
        int read = gzip.ReadAtLeast(payload, payload.Length, throwOnEndOfStream: false);
        if (read < payload.Length)
        {
            return payload[..read];
        }

        using var rest = new MemoryStream();
        gzip.CopyTo(rest);
        return rest.Length == 0 ? payload : [.. payload, .. rest.GetBuffer().AsSpan(0, (int)rest.Length)];
    }

    private static Catalogue Parse(byte[] payload, string sourceName)
    {
        var reader = new PayloadReader(payload, sourceName);
        if (!reader.Take(Magic.Length).SequenceEqual(Magic))
        {
            throw reader.Error(0, "not an InMood catalogue (magic \"IMCAT001\" missing)");
        }

        int artistCount = reader.Int32();
        int trackCount = reader.Int32();
        if (artistCount is <= 0 or > ushort.MaxValue + 1 || trackCount is <= 0 or > MaxTracks || artistCount > trackCount)
        {
            throw reader.Error(8, $"implausible counts: {artistCount} artists, {trackCount} tracks");
        }

        var artistNames = new (int, int)[artistCount];
        for (int i = 0; i < artistCount; i++)
        {
            artistNames[i] = reader.String("artist ", i, string.Empty);
        }

        var titles = new (int, int)[trackCount];
        var artists = new int[trackCount];
        var ids = new long[trackCount];
        var valences = new float[trackCount];
        var arousals = new float[trackCount];
        for (int i = 0; i < trackCount; i++)
        {
            int start = reader.Position;
            int id = reader.Int32();
            int artist = reader.UInt16();
            short valence = reader.Int16();
            short arousal = reader.Int16();
            titles[i] = reader.String("track ", i, " title");
            if (id <= 0 || artist >= artistCount || valence == short.MinValue || arousal == short.MinValue)
            {
                throw reader.Error(start, $"track {i}: invalid record (id {id}, artist index {artist} of {artistCount}, valence {valence}, arousal {arousal})");
            }

            artists[i] = artist;
            ids[i] = id;
            valences[i] = valence / Scale;
            arousals[i] = arousal / Scale;
        }

        if (reader.Position != payload.Length)
        {
            throw reader.Error(reader.Position, $"{payload.Length - reader.Position} bytes left over after {trackCount} tracks");
        }

        return new Catalogue(payload, artistNames, titles, artists, ids, valences, arousals);
    }

    /// <summary>Appends <paramref name="value"/>'s UTF-8 bytes to <paramref name="text"/>; returns where they lie.</summary>
    private static (int Start, int Length) Append(MemoryStream text, string value)
    {
        byte[] bytes = s_strictUtf8.GetBytes(value);
        int start = (int)text.Length;
        text.Write(bytes);
        return (start, bytes.Length);
    }

    private static short Quantise(float value) => (short)MathF.Round(value * Scale);

    private static void WriteString(BinaryWriter writer, ReadOnlySpan<byte> bytes)
    {
        writer.Write(checked((ushort)bytes.Length));
        writer.Write(bytes);
    }

    /// <summary>Bounds-checked little-endian reader over the decompressed payload.</summary>
    private sealed class PayloadReader(byte[] payload, string sourceName)
    {
        public int Position { get; private set; }

        public ReadOnlySpan<byte> Take(int count)
        {
            if (count > payload.Length - Position)
            {
                throw Error(Position, $"truncated: needed {count} bytes, {payload.Length - Position} left");
            }

            var span = new ReadOnlySpan<byte>(payload, Position, count);
            Position += count;
            return span;
        }

        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        public int UInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

        public short Int16() => BinaryPrimitives.ReadInt16LittleEndian(Take(2));

        /// <summary>
        /// A length-prefixed, non-empty, valid UTF-8 string: where its bytes lie in the payload. Errors name it
        /// <paramref name="kind"/> + <paramref name="index"/> + <paramref name="suffix"/> ("track 12 title"), a text
        /// built only on failure (one per string was half of the parse).
        /// </summary>
        public (int Start, int Length) String(string kind, int index, string suffix)
        {
            int start = Position;
            int length = UInt16();
            if (length == 0)
            {
                throw Error(start, $"{kind}{index}{suffix}: empty string");
            }

            if (!Utf8.IsValid(Take(length)))
            {
                throw Error(start, $"{kind}{index}{suffix}: invalid UTF-8");
            }

            return (start + 2, length);
        }

        public InvalidDataException Error(int offset, string problem) =>
            new($"catalogue {sourceName}: byte {offset}: {problem}");
    }
}
