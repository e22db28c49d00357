namespace InMood.Music.Tests;

/// <summary>Small hand-made catalogues for recommender and writer tests.</summary>
internal static class TestCatalogues
{
    /// <summary>A grid of 21 x 21 tracks over [-1, 1]^2 by 5 rotating artists.</summary>
    public static Catalogue Grid()
    {
        var tracks = new List<Track>();
        for (int i = 0; i <= 20; i++)
        {
            for (int j = 0; j <= 20; j++)
            {
                int id = tracks.Count + 1;
                tracks.Add(new Track($"Artist {id % 5}", $"Song {id}", id, (i / 10f) - 1f, (j / 10f) - 1f));
            }
        }

        return new Catalogue(tracks);
    }
}
