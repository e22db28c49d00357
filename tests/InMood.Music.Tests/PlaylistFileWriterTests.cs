using System.Text;
using System.Text.Json;
using System.Xml.Linq;

namespace InMood.Music.Tests;

public sealed class PlaylistFileWriterTests
{
    private static Playlist MakePlaylist() =>
        new Recommender(TestCatalogues.Grid(), PlaylistLinks.None).Recommend(new Mood(0.2f, 0.1f), PlaylistStrategy.Match, 3, seed: 1);

    [Theory]
    [InlineData("list.m3u", PlaylistFileFormat.M3u)]
    [InlineData("LIST.M3U8", PlaylistFileFormat.M3u)]
    [InlineData("list.xspf", PlaylistFileFormat.Xspf)]
    [InlineData("list.json", PlaylistFileFormat.Json)]
    public void FormatFromPath_KnownExtension_PicksFormat(string path, PlaylistFileFormat expected)
    {
        // Arrange
        string name = path;

        // Act
        PlaylistFileFormat format = PlaylistFileWriter.FormatFromPath(name);

        // Assert
        Assert.Equal(expected, format);
    }

    [Fact]
    public void FormatFromPath_UnknownExtension_Throws()
    {
        // Arrange
        const string path = "list.txt";

        // Act
        var exception = Assert.Throws<ArgumentException>(() => PlaylistFileWriter.FormatFromPath(path));

        // Assert
        Assert.Contains("unknown playlist file type \".txt\"", exception.Message);
    }

    [Fact]
    public void Write_EachFormatToStream_WritesParseableUtf8WithoutByteOrderMarkAndLeavesStreamOpen()
    {
        // Arrange
        Playlist playlist = MakePlaylist();
        var m3u = new MemoryStream();
        var xspf = new MemoryStream();
        var json = new MemoryStream();

        // Act
        PlaylistFileWriter.Write(playlist, PlaylistFileFormat.M3u, m3u);
        PlaylistFileWriter.Write(playlist, PlaylistFileFormat.Xspf, xspf);
        PlaylistFileWriter.Write(playlist, PlaylistFileFormat.Json, json);

        // Assert
        Assert.True(m3u.CanWrite);
        Assert.Equal((byte)'#', m3u.ToArray()[0]);
        string[] lines = Encoding.UTF8.GetString(m3u.ToArray()).ReplaceLineEndings("\n").Split('\n');
        Assert.Equal("#EXTM3U", lines[0]);
        Assert.Equal(playlist.Entries[0].Track.DeezerUrl, lines[3]);
        XDocument document = XDocument.Load(new MemoryStream(xspf.ToArray()));
        Assert.Equal(3, document.Descendants(XName.Get("track", "http://xspf.org/ns/0/")).Count());
        using JsonDocument parsed = JsonDocument.Parse(json.ToArray());
        Assert.Equal("match", parsed.RootElement.GetProperty("strategy").GetString());
        Assert.Equal(3, parsed.RootElement.GetProperty("tracks").GetArrayLength());
    }

    [Fact]
    public void Write_Json_KeepsLettersAndPunctuationReadableAndEscapesQuotes()
    {
        // Arrange
        var catalogue = new Catalogue([new Track("Sly & The Family Stone", "Steven's \"Caf\u00e9\" + Co", 1, 0.5f, 0.5f)]);
        Playlist playlist = new Recommender(catalogue, PlaylistLinks.None).Recommend(new Mood(0.5f, 0.5f), PlaylistStrategy.Match, 1, seed: 1);
        var writer = new StringWriter();

        // Act
        PlaylistFileWriter.Write(playlist, PlaylistFileFormat.Json, writer);

        // Assert
        string text = writer.ToString();
        Assert.Contains("\"artist\": \"Sly & The Family Stone\"", text);
        Assert.Contains("\"title\": \"Steven's \\\"Caf\u00e9\\\" + Co\"", text);
        using JsonDocument json = JsonDocument.Parse(text);
        Assert.Equal("Steven's \"Caf\u00e9\" + Co", json.RootElement.GetProperty("tracks")[0].GetProperty("title").GetString());
    }
}
