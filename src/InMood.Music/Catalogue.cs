using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace InMood.Music;

/// <summary>
/// The music catalogue shipped inside this assembly: 18,644 tracks from the Deezer Mood Detection
/// Dataset (Delbouys et al., ISMIR 2018), with artist, title, Deezer id and valence/arousal.
/// </summary>
/// <remarks>
/// File format (the embedded resource is this payload gzip-compressed; gzip's CRC-32 guards it):
/// <code>
/// "IMCAT001"                      8 bytes magic and version
/// int32 artistCount, int32 trackCount        little-endian
/// artistCount x { uint16 byteLength, UTF-8 name }
/// trackCount  x { int32 deezerId, uint16 artistIndex, int16 valence, int16 arousal,
///                 uint16 byteLength, UTF-8 title }
/// </code>
/// valence and arousal are stored as round(value * 32767), value in [-1, 1]. Nothing may follow
/// the last track. Rebuild: tests/InMood.Music.Tests/CatalogueGenerationTests.cs.
/// </remarks>
public sealed class Catalogue
{
    /// <summary>Name of the embedded resource holding the shipped catalogue.</summary>
    public const string ResourceName = "InMood.Music.Resources.deezer-mood.imcat.gz";

    private const float Scale = 32767f;
    private const int MaxTracks = 1_000_000;
    private static ReadOnlySpan<byte> Magic => "IMCAT001"u8;
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly Lazy<Catalogue> s_embedded = new(LoadEmbeddedUncached);

    private readonly Track[] _tracks;

    /// <summary>Wraps tracks; valence and arousal must be in [-1, 1].</summary>
    public Catalogue(IReadOnlyList<Track> tracks)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        if (tracks.Count == 0)
        {
            throw new ArgumentException("tracks: a catalogue needs at least one track", nameof(tracks));
        }

        _tracks = [.. tracks];
        for (int i = 0; i < _tracks.Length; i++)
        {
            if (!_tracks[i].Mood.IsInRange)
            {
                throw new ArgumentException($"tracks[{i}]: valence/arousal ({_tracks[i].Valence}, {_tracks[i].Arousal}) outside [-1, 1]", nameof(tracks));
            }
        }
    }

    /// <summary>All tracks, in file order.</summary>
    public IReadOnlyList<Track> Tracks => _tracks;

    /// <summary>Number of tracks.</summary>
    public int Count => _tracks.Length;

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
            using var gzip = new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true);
            using var buffer = new MemoryStream();
            gzip.CopyTo(buffer);
            payload = buffer.ToArray();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new InvalidDataException($"catalogue {sourceName}: corrupted compressed data ({e.Message})", e);
        }

        return Parse(payload, sourceName);
    }

    /// <summary>Writes this catalogue in the format described on the type, gzip-compressed.</summary>
    public void Write(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var artists = new List<string>();
        var artistIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Track track in _tracks)
        {
            if (!artistIndex.ContainsKey(track.Artist))
            {
                artistIndex.Add(track.Artist, artists.Count);
                artists.Add(track.Artist);
            }
        }

        if (artists.Count > ushort.MaxValue)
        {
            throw new InvalidOperationException($"catalogue: {artists.Count} artists do not fit the 16-bit artist index");
        }

        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, s_strictUtf8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(artists.Count);
            writer.Write(_tracks.Length);
            foreach (string artist in artists)
            {
                WriteString(writer, artist);
            }

            foreach (Track track in _tracks)
            {
                writer.Write(checked((int)track.DeezerId));
                writer.Write((ushort)artistIndex[track.Artist]);
                writer.Write(Quantise(track.Valence));
                writer.Write(Quantise(track.Arousal));
                WriteString(writer, track.Title);
            }
        }

        using var gzip = new GZipStream(destination, CompressionLevel.SmallestSize, leaveOpen: true);
        payload.Position = 0;
        payload.CopyTo(gzip);
    }

    private static Catalogue LoadEmbeddedUncached()
    {
        using Stream stream = typeof(Catalogue).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidDataException($"catalogue {ResourceName}: embedded resource missing from {typeof(Catalogue).Assembly.GetName().Name}");
        return Load(stream, ResourceName);
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

        var artists = new string[artistCount];
        for (int i = 0; i < artistCount; i++)
        {
            artists[i] = reader.String($"artist {i}");
        }

        var tracks = new Track[trackCount];
        for (int i = 0; i < trackCount; i++)
        {
            int start = reader.Position;
            int id = reader.Int32();
            int artist = reader.UInt16();
            short valence = reader.Int16();
            short arousal = reader.Int16();
            string title = reader.String($"track {i} title");
            if (id <= 0 || artist >= artistCount || valence == short.MinValue || arousal == short.MinValue)
            {
                throw reader.Error(start, $"track {i}: invalid record (id {id}, artist index {artist} of {artistCount}, valence {valence}, arousal {arousal})");
            }

            tracks[i] = new Track(artists[artist], title, id, valence / Scale, arousal / Scale);
        }

        if (reader.Position != payload.Length)
        {
            throw reader.Error(reader.Position, $"{payload.Length - reader.Position} bytes left over after {trackCount} tracks");
        }

        return new Catalogue(tracks);
    }

    private static short Quantise(float value) => (short)MathF.Round(value * Scale);

    private static void WriteString(BinaryWriter writer, string value)
    {
        byte[] bytes = s_strictUtf8.GetBytes(value);
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

        public string String(string what)
        {
            int start = Position;
            int length = UInt16();
            if (length == 0)
            {
                throw Error(start, $"{what}: empty string");
            }

            try
            {
                return s_strictUtf8.GetString(Take(length));
            }
            catch (DecoderFallbackException)
            {
                throw Error(start, $"{what}: invalid UTF-8");
            }
        }

        public InvalidDataException Error(int offset, string problem) =>
            new($"catalogue {sourceName}: byte {offset}: {problem}");
    }
}
