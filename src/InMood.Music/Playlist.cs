namespace InMood.Music;

/// <summary>A recommended playlist for one mood.</summary>
/// <param name="Mood">The detected mood the playlist was made for.</param>
/// <param name="Strategy">How the tracks relate to that mood.</param>
/// <param name="Target">Where the playlist ends: the detected mood for match, the uplift target otherwise.</param>
/// <param name="Url">The headline playlist link (the user's own from the config, or a Spotify search).</param>
/// <param name="Seed">The seed of the random draw; the same inputs and seed give the same playlist.</param>
/// <param name="Entries">Tracks in play order.</param>
public sealed record Playlist(Mood Mood, PlaylistStrategy Strategy, Mood Target, string Url, int Seed, IReadOnlyList<PlaylistEntry> Entries);
