namespace InMood.Music.Tests;

public sealed class RecommenderTests
{
    private static readonly Mood s_sad = EmotionCoordinates.Of(Emotion.Sad);

    [Fact]
    public void Waypoints_Iso_MoveMonotonicallyFromMoodToTarget()
    {
        // Arrange
        const int length = 10;

        // Act
        Mood[] waypoints = Recommender.Waypoints(s_sad, PlaylistStrategy.Iso, length);

        // Assert
        Assert.Equal(s_sad, waypoints[0]);
        Assert.Equal(Recommender.UpliftTarget.Valence, waypoints[^1].Valence, 5);
        Assert.Equal(Recommender.UpliftTarget.Arousal, waypoints[^1].Arousal, 5);
        for (int i = 1; i < length; i++)
        {
            Assert.True(waypoints[i].DistanceTo(Recommender.UpliftTarget) < waypoints[i - 1].DistanceTo(Recommender.UpliftTarget));
        }
    }

    [Fact]
    public void Waypoints_IsoOfOneTrack_IsTheMood()
    {
        Mood[] waypoints = Recommender.Waypoints(s_sad, PlaylistStrategy.Iso, 1);

        Assert.Equal([s_sad], waypoints);
    }

    [Fact]
    public void Recommend_IsoOnGrid_TracksApproachTheTarget()
    {
        // Arrange
        var recommender = new Recommender(TestCatalogues.Grid(), PlaylistLinks.None);

        // Act
        Playlist playlist = recommender.Recommend(s_sad, PlaylistStrategy.Iso, 10, seed: 7);

        // Assert
        float first = playlist.Entries[0].Track.Mood.DistanceTo(Recommender.UpliftTarget);
        float last = playlist.Entries[^1].Track.Mood.DistanceTo(Recommender.UpliftTarget);
        Assert.True(first > 1f, $"first track {first} from the target");
        Assert.True(last < 0.25f, $"last track {last} from the target");
        Assert.All(playlist.Entries, entry => Assert.True(entry.Track.Mood.DistanceTo(entry.Waypoint) < 0.25f));
    }

    [Theory]
    [InlineData(PlaylistStrategy.Match)]
    [InlineData(PlaylistStrategy.Uplift)]
    [InlineData(PlaylistStrategy.Iso)]
    public void Recommend_SameSeed_SamePlaylist(PlaylistStrategy strategy)
    {
        // Arrange
        var recommender = new Recommender(Catalogue.Embedded, PlaylistLinks.None);

        // Act
        Playlist first = recommender.Recommend(s_sad, strategy, 10, seed: 42);
        Playlist second = recommender.Recommend(s_sad, strategy, 10, seed: 42);

        // Assert
        Assert.Equal(first.Entries.Select(e => e.Track.DeezerId), second.Entries.Select(e => e.Track.DeezerId));
        Assert.Equal(first.Url, second.Url);
    }

    [Fact]
    public void Recommend_DifferentSeeds_DifferentPlaylists()
    {
        // Arrange
        var recommender = new Recommender(Catalogue.Embedded, PlaylistLinks.None);

        // Act
        Playlist first = recommender.Recommend(s_sad, PlaylistStrategy.Match, 10, seed: 1);
        Playlist second = recommender.Recommend(s_sad, PlaylistStrategy.Match, 10, seed: 2);

        // Assert
        Assert.NotEqual(first.Entries.Select(e => e.Track.DeezerId), second.Entries.Select(e => e.Track.DeezerId));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(200)]
    public void Recommend_Length_GivesThatManyDistinctTracksNoArtistTwiceInARow(int length)
    {
        // Arrange
        var recommender = new Recommender(Catalogue.Embedded, PlaylistLinks.None);

        // Act
        Playlist playlist = recommender.Recommend(new Mood(0.9f, 0.9f), PlaylistStrategy.Match, length, seed: 3);

        // Assert
        Assert.Equal(length, playlist.Entries.Count);
        Assert.Equal(length, playlist.Entries.Select(e => e.Track.DeezerId).Distinct().Count());
        for (int i = 1; i < length; i++)
        {
            Assert.NotEqual(playlist.Entries[i - 1].Track.Artist, playlist.Entries[i].Track.Artist);
        }
    }

    [Fact]
    public void Recommend_GridWithFewArtists_NeverRepeatsArtistConsecutively()
    {
        // Arrange
        var recommender = new Recommender(TestCatalogues.Grid(), PlaylistLinks.None);

        // Act
        Playlist playlist = recommender.Recommend(new Mood(0f, 0f), PlaylistStrategy.Match, 50, seed: 11);

        // Assert
        for (int i = 1; i < playlist.Entries.Count; i++)
        {
            Assert.NotEqual(playlist.Entries[i - 1].Track.Artist, playlist.Entries[i].Track.Artist);
        }
    }

    [Fact]
    public void Recommend_Match_StaysNearTheMood()
    {
        // Arrange
        var recommender = new Recommender(Catalogue.Embedded, PlaylistLinks.None);
        Mood happy = EmotionCoordinates.Of(Emotion.Happy);

        // Act
        Playlist playlist = recommender.Recommend(happy, PlaylistStrategy.Match, 10, seed: 5);

        // Assert
        Assert.All(playlist.Entries, entry => Assert.True(entry.Track.Mood.DistanceTo(happy) < 0.25f));
        Assert.Equal(happy, playlist.Target);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Recommend_AnyMood_DrawsFromTheSameCandidatesAsAScanOfTheWholeCatalogue(bool embedded)
    {
        // Arrange: the grid has many equal valences and distances, so ties are exercised.
        Catalogue catalogue = embedded ? Catalogue.Embedded : TestCatalogues.Grid();
        var recommender = new Recommender(catalogue, PlaylistLinks.None);
        var random = new Random(11);
        for (int run = 0; run < 12; run++)
        {
            var mood = new Mood((float)Math.Round((random.NextDouble() * 2) - 1, 1), (float)((random.NextDouble() * 2) - 1));
            PlaylistStrategy strategy = (PlaylistStrategy)(run % 3);

            // Act
            Playlist playlist = recommender.Recommend(mood, strategy, 25, seed: run);

            // Assert: replay the draws over candidates found by a full scan in (distance, catalogue index) order.
            var draws = new Random(run);
            var used = new HashSet<long>();
            string? previousArtist = null;
            foreach (PlaylistEntry entry in playlist.Entries)
            {
                Mood w = entry.Waypoint;
                int[] nearest = [.. Enumerable.Range(0, catalogue.Count)
                    .Where(i => !used.Contains(catalogue.Tracks[i].DeezerId) && catalogue.Tracks[i].Artist != previousArtist)
                    .Select(i => (Index: i, Distance: Distance(catalogue.Tracks[i], w)))
                    .OrderBy(c => c.Distance).ThenBy(c => c.Index)
                    .Take(Recommender.CandidateCount)
                    .Select(c => c.Index)];
                Track expected = catalogue.Tracks[nearest[draws.Next(nearest.Length)]];
                Assert.Equal(expected, entry.Track);
                used.Add(expected.DeezerId);
                previousArtist = expected.Artist;
            }
        }
    }

    [Fact]
    public void Recommend_LengthZero_Throws()

    {
        // Arrange
        var recommender = new Recommender(TestCatalogues.Grid(), PlaylistLinks.None);

        // Act
        void Act() => recommender.Recommend(s_sad, PlaylistStrategy.Match, 0, seed: 1);

        // Assert
        Assert.Throws<ArgumentOutOfRangeException>(Act);
    }

    /// <summary>Squared distance on the valence/arousal plane, computed as the recommender does.</summary>
    private static float Distance(Track track, Mood w)
    {
        float dv = track.Valence - w.Valence;
        float da = track.Arousal - w.Arousal;
        return (dv * dv) + (da * da);
    }
}
