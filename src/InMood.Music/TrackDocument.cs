namespace InMood.Music;

/// <summary>JSON shape of one playlist track: artist, title, links and the track's coordinates.</summary>
public sealed record TrackDocument(string Artist, string Title, string Deezer, string Spotify, float Valence, float Arousal)
{
    /// <summary>Builds the document for a track.</summary>
    public static TrackDocument From(Track track) =>
        new(track.Artist, track.Title, track.DeezerUrl, track.SpotifySearchUrl, track.Valence, track.Arousal);
}
