namespace InMood.Music;

/// <summary>
/// One catalogue track. Valence and arousal are in [-1, 1]: the track's rank among the 18,644
/// Deezer tracks on each axis, mapped linearly (see src/InMood.Music/README.md).
/// </summary>
public sealed record Track(string Artist, string Title, long DeezerId, float Valence, float Arousal)
{
    /// <summary>The track on Deezer.</summary>
    public string DeezerUrl => $"https://www.deezer.com/track/{DeezerId}";

    /// <summary>A Spotify search for "artist title" (the catalogue has no Spotify ids).</summary>
    public string SpotifySearchUrl => "https://open.spotify.com/search/" + Uri.EscapeDataString(Artist + " " + Title);

    /// <summary>The track's position on the valence/arousal plane.</summary>
    public Mood Mood => new(Valence, Arousal);
}
