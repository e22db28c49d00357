namespace InMood.Music.Tests;

/// <summary>
/// Rebuilds the shipped catalogue from ../shared/data/music/deezer-mood and checks it against the
/// embedded file. To regenerate the file after changing the builder or the format, run
/// <c>INMOOD_WRITE_CATALOGUE=1 dotnet test tests/InMood.Music.Tests -c Release --filter CatalogueGenerationTests</c>
/// and rebuild; the test then compares again.
/// </summary>
public sealed class CatalogueGenerationTests
{
    [SharedDataFact]
    public void Build_SharedCsvs_MatchesEmbeddedCatalogue()
    {
        // Arrange
        Catalogue built = DeezerCsv.Build(SharedData.DeezerMoodFolder);
        string shipped = Path.Combine(SharedData.RepositoryRoot, "src", "InMood.Music", "Resources", "deezer-mood.imcat");
        if (Environment.GetEnvironmentVariable("INMOOD_WRITE_CATALOGUE") == "1")
        {
            using var file = File.Create(shipped);
            built.WritePayload(file);
        }

        // Act
        byte[] expected = Payload(built);
        byte[] actual = File.ReadAllBytes(shipped);

        // Assert
        Assert.Equal(18_644, built.Count);
        Assert.True(expected.AsSpan().SequenceEqual(actual), $"{shipped} differs from a fresh build; regenerate it (see this class's summary)");
    }

    [Theory]
    [InlineData("Take Me Home_ Country Roads", "Take Me Home, Country Roads")]
    [InlineData("Crosby_ Stills_ Nash & Young", "Crosby, Stills, Nash & Young")]
    [InlineData("Bob Marley_The Wailers", "Bob Marley_The Wailers")]
    public void RestoreCommas_UnderscoreBeforeASpace_IsAComma(string stored, string expected)
    {
        Assert.Equal(expected, DeezerCsv.RestoreCommas(stored));
    }

    [Fact]
    public void ParseLine_QuotedFieldWithEscapedQuotes_KeepsCommasAndQuotes()
    {
        // Arrange
        const string line = "583141,S,T,-1.9,-0.6,Kenny G,\"My Heart Will Go On (Love Theme From \"\"Titanic\"\", 1997)\"";

        // Act
        string[] fields = DeezerCsv.ParseLine(line);

        // Assert
        Assert.Equal(7, fields.Length);
        Assert.Equal("My Heart Will Go On (Love Theme From \"Titanic\", 1997)", fields[6]);
    }

    [Fact]
    public void Ranks_TiesAndOrder_ShareMeanRankAndSpanMinusOneToOne()
    {
        // Arrange
        double[] values = [3.0, -1.0, 3.0, 10.0, 0.5];

        // Act
        float[] ranks = DeezerCsv.Ranks(values);

        // Assert
        Assert.Equal([0.25f, -1f, 0.25f, 1f, -0.5f], ranks);
    }

    private static byte[] Payload(Catalogue catalogue)
    {
        using var buffer = new MemoryStream();
        catalogue.WritePayload(buffer);
        return buffer.ToArray();
    }
}
