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
    public void Save_EachFormat_WritesParseableFileAndNoTemporaryLeft()
    {
        // Arrange
        Playlist playlist = MakePlaylist();
        string folder = Directory.CreateTempSubdirectory("inmood-playlist-").FullName;

        // Act
        PlaylistFileWriter.Save(playlist, Path.Combine(folder, "a.m3u"));
        PlaylistFileWriter.Save(playlist, Path.Combine(folder, "a.xspf"));
        PlaylistFileWriter.Save(playlist, Path.Combine(folder, "a.json"));

        // Assert
        string[] m3u = File.ReadAllLines(Path.Combine(folder, "a.m3u"));
        Assert.Equal("#EXTM3U", m3u[0]);
        Assert.Equal(playlist.Entries[0].Track.DeezerUrl, m3u[3]);
        XDocument xspf = XDocument.Load(Path.Combine(folder, "a.xspf"));
        Assert.Equal(3, xspf.Descendants(XName.Get("track", "http://xspf.org/ns/0/")).Count());
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "a.json")));
        Assert.Equal("match", json.RootElement.GetProperty("strategy").GetString());
        Assert.Equal(3, json.RootElement.GetProperty("tracks").GetArrayLength());
        Assert.Equal(3, Directory.GetFiles(folder).Length);
        Directory.Delete(folder, recursive: true);
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

    [Fact]
    public void Save_ExistingFile_IsReplaced()
    {
        // Arrange
        string path = Path.Combine(Directory.CreateTempSubdirectory("inmood-playlist-").FullName, "b.m3u");
        File.WriteAllText(path, "old");

        // Act
        PlaylistFileWriter.Save(MakePlaylist(), path);

        // Assert
        Assert.StartsWith("#EXTM3U", File.ReadAllText(path));
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }
}
