using System.Text.Json;

namespace InMood.Cli.Tests.Classification;

/// <summary>The schema checker against docs/output.schema.json: it must see a broken track inside a oneOf.</summary>
public sealed class JsonSchemaCheckerTests
{
    /// <summary>The output of --format json for one image: an array of one image object.</summary>
    private const string Output = """
        [{"file":"a.jpg","width":48,"height":48,
         "faces":[{"box":{"x":0,"y":0,"width":48,"height":48},"score":null,"emotion":"happy","confidence":0.9,
                   "probabilities":{"angry":0.02,"disgust":0.01,"fear":0.01,"happy":0.9,"sad":0.02,"surprise":0.02,"neutral":0.02}}],
         "emotion":"happy",
         "playlist":{"url":"https://example.org","valence":0.8,"arousal":0.3,"strategy":"match","seed":1,
                     "tracks":[{"artist":"A","title":"T","deezer":"https://www.deezer.com/track/1","spotify":"https://open.spotify.com/search/A%20T","valence":0.8,"arousal":0.2}]},
         "error":null}]
        """;

    [Fact]
    public void Check_ValidImage_FindsNothing()
    {
        using JsonDocument schema = JsonDocument.Parse(File.ReadAllText(TestPaths.Schema));
        using JsonDocument image = JsonDocument.Parse(Output);

        List<string> problems = JsonSchemaChecker.Check(schema.RootElement, image.RootElement);

        Assert.Empty(problems);
    }

    [Fact]
    public void Check_TrackWithoutArtist_ReportsItsPath()
    {
        using JsonDocument schema = JsonDocument.Parse(File.ReadAllText(TestPaths.Schema));
        using JsonDocument image = JsonDocument.Parse(Output.Replace("\"artist\":\"A\",", string.Empty, StringComparison.Ordinal));

        List<string> problems = JsonSchemaChecker.Check(schema.RootElement, image.RootElement);

        Assert.Contains(problems, p => p.StartsWith("$[0].playlist: matches 0", StringComparison.Ordinal));
        Assert.Contains("$[0].playlist.tracks[0]: missing required \"artist\"", problems);
    }
}
