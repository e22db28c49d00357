namespace InMood.Music;

/// <summary>How a playlist relates to the detected mood.</summary>
public enum PlaylistStrategy
{
    /// <summary>Every track near the detected mood.</summary>
    Match = 0,

    /// <summary>Every track near <see cref="Recommender.UpliftTarget"/> (mood regulation).</summary>
    Uplift = 1,

    /// <summary>
    /// Iso principle: the first track at the detected mood, each next one a step closer to
    /// <see cref="Recommender.UpliftTarget"/>, the last one at it.
    /// </summary>
    Iso = 2,
}
