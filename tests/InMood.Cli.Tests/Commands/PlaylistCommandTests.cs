using System.CommandLine;
using System.Text.Json;

namespace InMood.Cli.Tests.Commands;

public sealed class PlaylistCommandTests
{
    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = Program.CreateRootCommand().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public void Invoke_EmotionJson_WritesPlaylistDocument()
    {
        // Arrange
        string[] args = ["playlist", "--emotion", "sad", "--strategy", "iso", "--length", "5", "--seed", "3", "--format", "json", "--playlists", WriteConfig("{}")];

        // Act
        (int exitCode, string output, string error) = Run(args);

        // Assert
        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, error);
        using JsonDocument json = JsonDocument.Parse(output);
        Assert.Equal("iso", json.RootElement.GetProperty("strategy").GetString());
        Assert.Equal(5, json.RootElement.GetProperty("tracks").GetArrayLength());
        Assert.StartsWith("https://www.deezer.com/track/", json.RootElement.GetProperty("tracks")[0].GetProperty("deezer").GetString());
        Assert.StartsWith("https://open.spotify.com/search/", json.RootElement.GetProperty("url").GetString());
    }

    [Fact]
    public void Invoke_SameSeedTwice_SameOutput()
    {
        // Arrange
        string[] args = ["playlist", "--valence", "0.3", "--arousal", "-0.2", "--seed", "9", "--format", "m3u", "--playlists", WriteConfig("{}")];

        // Act
        (int _, string first, string _) = Run(args);
        (int _, string second, string _) = Run(args);

        // Assert
        Assert.StartsWith("#EXTM3U", first);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Invoke_Table_ListsTracks()
    {
        // Arrange
        string[] args = ["playlist", "--emotion", "happy", "--length", "3", "--seed", "1", "--playlists", WriteConfig("{}")];

        // Act
        (int exitCode, string output, string _) = Run(args);

        // Assert
        Assert.Equal(0, exitCode);
        Assert.Contains("Artist", output);
        Assert.Contains("seed 1", output);
    }

    [Fact]
    public void Invoke_UserPlaylistConfig_UsesItsUrl()
    {
        // Arrange
        string config = WriteConfig("{ \"sad\": \"https://music.youtube.com/playlist?list=mine\" }");

        // Act
        (int exitCode, string output, string _) = Run("playlist", "--emotion", "sad", "--format", "json", "--playlists", config);

        // Assert
        Assert.Equal(0, exitCode);
        Assert.Contains("https://music.youtube.com/playlist?list=mine", output);
    }

    [Theory]
    [InlineData("playlist")]
    [InlineData("playlist", "--emotion", "sad", "--valence", "0.1", "--arousal", "0.1")]
    [InlineData("playlist", "--emotion", "grumpy")]
    [InlineData("playlist", "--valence", "0.5")]
    [InlineData("playlist", "--valence", "2", "--arousal", "0")]
    [InlineData("playlist", "--emotion", "sad", "--strategy", "cheer")]
    [InlineData("playlist", "--emotion", "sad", "--format", "xml")]
    [InlineData("playlist", "--emotion", "sad", "--length", "0")]
    [InlineData("playlist", "--emotion", "sad", "--save-playlist", "out.txt")]
    public void Invoke_UsageError_ExitsTwoWithOneLineOnStderr(params string[] args)
    {
        // Arrange
        string[] command = args;

        // Act
        (int exitCode, string output, string error) = Run(command);

        // Assert
        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void Invoke_BadConfigFile_ExitsOneNamingTheFile()
    {
        // Arrange
        string config = WriteConfig("{ \"joy\": \"https://a.b/c\" }");

        // Act
        (int exitCode, string output, string error) = Run("playlist", "--emotion", "sad", "--playlists", config);

        // Assert
        Assert.Equal(1, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.StartsWith($"inmood playlist: {config}: \"joy\" is not an emotion", error);
    }

    [Fact]
    public void Invoke_SavePlaylist_WritesFileByExtension()
    {
        // Arrange
        string path = Path.Combine(Directory.CreateTempSubdirectory("inmood-cli-").FullName, "mood.xspf");

        // Act
        (int exitCode, string _, string _) = Run("playlist", "--emotion", "neutral", "--seed", "2", "--format", "json", "--save-playlist", path, "--playlists", WriteConfig("{}"));

        // Assert
        Assert.Equal(0, exitCode);
        Assert.Contains("<trackList>", File.ReadAllText(path));
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    private static string WriteConfig(string json)
    {
        string path = Path.Combine(Path.GetTempPath(), $"inmood-playlists-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }
}
