using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;

namespace InMood.Music;

/// <summary>Writes playlists as M3U, XSPF or JSON, to a writer or a stream.</summary>
public static class PlaylistFileWriter
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The format for a file name's extension: .m3u/.m3u8, .xspf or .json (any case).</summary>
    /// <exception cref="ArgumentException">Any other extension.</exception>
    public static PlaylistFileFormat FormatFromPath(string path)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".m3u" or ".m3u8" => PlaylistFileFormat.M3u,
            ".xspf" => PlaylistFileFormat.Xspf,
            ".json" => PlaylistFileFormat.Json,
            _ => throw new ArgumentException($"{path}: unknown playlist file type \"{extension}\" (expected .m3u, .m3u8, .xspf or .json)"),
        };
    }

    /// <summary>Writes the playlist in <paramref name="format"/> to a stream as UTF-8 without a byte-order mark; the stream stays open.</summary>
    public static void Write(Playlist playlist, PlaylistFileFormat format, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var writer = new StreamWriter(destination, s_utf8, leaveOpen: true);
        Write(playlist, format, writer);
    }

    /// <summary>Writes the playlist in <paramref name="format"/>.</summary>
    public static void Write(Playlist playlist, PlaylistFileFormat format, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(playlist);
        ArgumentNullException.ThrowIfNull(writer);
        switch (format)
        {
            case PlaylistFileFormat.M3u:
                WriteM3u(playlist, writer);
                break;
            case PlaylistFileFormat.Xspf:
                WriteXspf(playlist, writer);
                break;
            case PlaylistFileFormat.Json:
                writer.Write(JsonSerializer.Serialize(PlaylistDocument.From(playlist), MusicJsonContext.Readable.PlaylistDocument));
                writer.Write('\n');
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "unknown playlist format");
        }
    }

    private static string Title(Playlist playlist) => string.Create(
        CultureInfo.InvariantCulture,
        $"InMood {PlaylistStrategyNames.Name(playlist.Strategy)}: valence {playlist.Mood.Valence:0.00}, arousal {playlist.Mood.Arousal:0.00}");

    private static void WriteM3u(Playlist playlist, TextWriter writer)
    {
        // NOTE: M3U is line-based, so line breaks inside names are flattened.
        writer.Write("#EXTM3U\n");
        writer.Write($"#PLAYLIST:{Title(playlist)}\n");
        foreach (PlaylistEntry entry in playlist.Entries)
        {
            writer.Write($"#EXTINF:-1,{Flatten(entry.Track.Artist)} - {Flatten(entry.Track.Title)}\n");
            writer.Write($"{entry.Track.DeezerUrl}\n");
        }
    }

    private static void WriteXspf(Playlist playlist, TextWriter writer)
    {
        var settings = new XmlWriterSettings { Indent = true, NewLineChars = "\n", OmitXmlDeclaration = false };
        using (XmlWriter xml = XmlWriter.Create(writer, settings))
        {
            const string ns = "http://xspf.org/ns/0/";
            xml.WriteStartElement("playlist", ns);
            xml.WriteAttributeString("version", "1");
            xml.WriteElementString("title", ns, Title(playlist));
            xml.WriteElementString("info", ns, playlist.Url);
            xml.WriteStartElement("trackList", ns);
            foreach (PlaylistEntry entry in playlist.Entries)
            {
                xml.WriteStartElement("track", ns);
                xml.WriteElementString("location", ns, entry.Track.DeezerUrl);
                xml.WriteElementString("title", ns, entry.Track.Title);
                xml.WriteElementString("creator", ns, entry.Track.Artist);
                xml.WriteElementString("info", ns, entry.Track.SpotifySearchUrl);
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        writer.Write('\n');
    }

    private static string Flatten(string text) => text.ReplaceLineEndings(" ");
}
