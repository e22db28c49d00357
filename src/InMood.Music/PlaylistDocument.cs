namespace InMood.Music;

/// <summary>
/// JSON shape of a playlist, the <c>"playlist"</c> object of <c>classify</c> and the output of
/// <c>playlist --format json</c>: headline url, the detected mood, strategy, seed and tracks.
/// Serialise with <see cref="MusicJsonContext"/> (source-generated, AOT-safe).
/// </summary>
public sealed record PlaylistDocument(string Url, float Valence, float Arousal, string Strategy, int Seed, IReadOnlyList<TrackDocument> Tracks)
{
    /// <summary>Builds the document for a playlist.</summary>
    public static PlaylistDocument From(Playlist playlist)
    {
        ArgumentNullException.ThrowIfNull(playlist);
        return new(
            playlist.Url,
            playlist.Mood.Valence,
            playlist.Mood.Arousal,
            PlaylistStrategyNames.Name(playlist.Strategy),
            playlist.Seed,
            [.. playlist.Entries.Select(entry => TrackDocument.From(entry.Track))]);
    }
}
