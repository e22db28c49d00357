namespace InMood.Music.Tests;

public sealed class CatalogueTests
{
    [Fact]
    public void Embedded_Loads_AllTracksWithLinksInRange()
    {
        // Arrange
        Catalogue catalogue = Catalogue.Embedded;

        // Act
        Track first = catalogue.Tracks[0];

        // Assert
        Assert.Equal(18_644, catalogue.Count);
        Assert.All(catalogue.Tracks, track => Assert.True(track.Mood.IsInRange));
        Assert.Equal($"https://www.deezer.com/track/{first.DeezerId}", first.DeezerUrl);
        Assert.StartsWith("https://open.spotify.com/search/", first.SpotifySearchUrl);
    }

    [Fact]
    public void WriteThenLoad_SmallCatalogue_RoundTrips()
    {
        // Arrange
        Catalogue original = TestCatalogues.Grid();
        using var buffer = new MemoryStream();
        original.Write(buffer);
        buffer.Position = 0;

        // Act
        Catalogue loaded = Catalogue.Load(buffer, "test");

        // Assert
        Assert.Equal(original.Count, loaded.Count);
        for (int i = 0; i < original.Count; i++)
        {
            Assert.Equal(original.Tracks[i].Title, loaded.Tracks[i].Title);
            Assert.Equal(original.Tracks[i].Artist, loaded.Tracks[i].Artist);
            Assert.Equal(original.Tracks[i].Valence, loaded.Tracks[i].Valence, 4);
        }
    }

    [Fact]
    public void WritePayloadThenParse_SmallCatalogue_GivesEqualTracks()
    {
        // Arrange
        Catalogue original = TestCatalogues.Grid();
        using var buffer = new MemoryStream();
        original.WritePayload(buffer);

        // Act
        Catalogue parsed = Catalogue.Parse(buffer.ToArray(), "test");

        // Assert
        Assert.Equal(original.Count, parsed.Count);
        Assert.Equal(original.Tracks.Select(t => (t.Artist, t.Title, t.DeezerId)), parsed.Tracks.Select(t => (t.Artist, t.Title, t.DeezerId)));
        Assert.Equal(original.Tracks.Select(t => t.Arousal), parsed.Tracks.Select(t => t.Arousal), (x, y) => Math.Abs(x - y) < 1e-4f);
    }

    [Fact]
    public void Parse_InvalidUtf8Title_Rejected()
    {
        // Arrange
        using var buffer = new MemoryStream();
        TestCatalogues.Grid().WritePayload(buffer);
        byte[] payload = buffer.ToArray();
        payload[^1] = 0xFF;

        // Act
        var exception = Assert.Throws<InvalidDataException>(() => Catalogue.Parse(payload, "bad.imcat"));

        // Assert
        Assert.Contains("invalid UTF-8", exception.Message);
    }

    [Fact]
    public void Load_FlippedByte_ThrowsNamingTheCatalogue()
    {
        // Arrange
        byte[] bytes = Compressed(TestCatalogues.Grid());
        bytes[bytes.Length / 2] ^= 0x5A;

        // Act
        var exception = Assert.Throws<InvalidDataException>(() => Catalogue.Load(new MemoryStream(bytes), "broken.gz"));

        // Assert
        Assert.StartsWith("catalogue broken.gz:", exception.Message);
    }

    [Fact]
    public void Load_Truncated_ThrowsNamingTheCatalogue()
    {
        // Arrange
        byte[] bytes = Compressed(TestCatalogues.Grid());

        // Act
        var exception = Assert.Throws<InvalidDataException>(() => Catalogue.Load(new MemoryStream(bytes[..(bytes.Length - 40)]), "short.gz"));

        // Assert
        Assert.StartsWith("catalogue short.gz:", exception.Message);
    }

    [Fact]
    public void Load_WrongMagic_SaysNotACatalogue()
    {
        // Arrange
        byte[] bytes = Gzip("NOTACATALOGUE-AT-ALL"u8.ToArray());

        // Act
        var exception = Assert.Throws<InvalidDataException>(() => Catalogue.Load(new MemoryStream(bytes), "other.gz"));

        // Assert
        Assert.Contains("magic", exception.Message);
    }

    [Fact]
    public void Load_TrailingBytes_Rejected()
    {
        // Arrange
        byte[] payload = Decompressed(Compressed(TestCatalogues.Grid()));
        byte[] bytes = Gzip([.. payload, 0, 0]);

        // Act
        var exception = Assert.Throws<InvalidDataException>(() => Catalogue.Load(new MemoryStream(bytes), "long.gz"));

        // Assert
        Assert.Contains("left over", exception.Message);
    }

    private static byte[] Compressed(Catalogue catalogue)
    {
        using var buffer = new MemoryStream();
        catalogue.Write(buffer);
        return buffer.ToArray();
    }

    private static byte[] Gzip(byte[] payload)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(payload);
        }

        return buffer.ToArray();
    }

    private static byte[] Decompressed(byte[] compressed)
    {
        using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(compressed), System.IO.Compression.CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }
}
