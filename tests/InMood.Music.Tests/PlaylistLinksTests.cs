namespace InMood.Music.Tests;

public sealed class PlaylistLinksTests
{
    [Fact]
    public void HeadlineUrl_NoConfig_IsSpotifyPlaylistSearchForTheMood()
    {
        // Arrange
        Mood happy = EmotionCoordinates.Of(Emotion.Happy);

        // Act
        string url = PlaylistLinks.None.HeadlineUrl(happy, seed: 0);

        // Assert
        Assert.Equal("https://open.spotify.com/search/happy%20energetic/playlists", url);
    }

    [Fact]
    public void Parse_StringAndArray_UsesUserUrlForNearestEmotion()
    {
        // Arrange
        const string json = """
            { "sad": "https://music.youtube.com/playlist?list=abc",
              "happy": ["https://open.spotify.com/playlist/1", "https://music.apple.com/x"], }
            """;

        // Act
        PlaylistLinks links = PlaylistLinks.Parse(json, "playlists.json");

        // Assert
        Assert.Equal("https://music.youtube.com/playlist?list=abc", links.HeadlineUrl(EmotionCoordinates.Of(Emotion.Sad), seed: 9));
        Assert.Equal("https://music.apple.com/x", links.HeadlineUrl(EmotionCoordinates.Of(Emotion.Happy), seed: 1));
        Assert.Equal(2, links.UrlsFor(Emotion.Happy).Count);
    }

    [Theory]
    [InlineData("{ \"happy\": ", "playlists.json: line 1: invalid JSON")]
    [InlineData("[]", "playlists.json: expected an object")]
    [InlineData("{ \"hapy\": \"https://a.b/c\" }", "playlists.json: \"hapy\" is not an emotion")]
    [InlineData("{ \"sad\": 3 }", "playlists.json: sad: expected a URL string or an array")]
    [InlineData("{ \"sad\": [] }", "playlists.json: sad: empty array")]
    [InlineData("{ \"sad\": \"not a url\" }", "playlists.json: sad: \"not a url\" is not an absolute http(s) URL")]
    [InlineData("{ \"sad\": \"https://a.b/c\", \"SAD\": \"https://a.b/d\" }", "playlists.json: \"sad\" appears twice")]
    public void Parse_BadConfig_ThrowsOneLineNamingFileAndProblem(string json, string expectedStart)
    {
        // Arrange
        const string source = "playlists.json";

        // Act
        var exception = Assert.Throws<InvalidDataException>(() => PlaylistLinks.Parse(json, source));

        // Assert
        Assert.StartsWith(expectedStart, exception.Message);
        Assert.DoesNotContain('\n', exception.Message);
    }

    [Fact]
    public void Load_MissingFile_ThrowsNamingTheFile()
    {
        // Arrange
        string path = Path.Combine(Path.GetTempPath(), $"inmood-missing-{Guid.NewGuid():N}.json");

        // Act
        var exception = Assert.Throws<InvalidDataException>(() => PlaylistLinks.Load(path));

        // Assert
        Assert.Equal($"{path}: cannot read playlist config (no such file)", exception.Message);
    }
}
