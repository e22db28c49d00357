namespace InMood.Music;

/// <summary>Playlist file formats.</summary>
public enum PlaylistFileFormat
{
    /// <summary>Extended M3U (UTF-8), one Deezer link per track.</summary>
    M3u = 0,

    /// <summary>XSPF (XML Shareable Playlist Format) version 1.</summary>
    Xspf = 1,

    /// <summary>The <see cref="PlaylistDocument"/> JSON.</summary>
    Json = 2,
}
