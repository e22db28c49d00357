namespace InMood.Music;

/// <summary>Lower-case names of the strategies (command line and JSON) and parsing.</summary>
public static class PlaylistStrategyNames
{
    private static readonly string[] s_names = ["match", "uplift", "iso"];

    /// <summary>All names in enum order.</summary>
    public static IReadOnlyList<string> Names => s_names;

    /// <summary>The lower-case name of a strategy.</summary>
    public static string Name(PlaylistStrategy strategy) => s_names[(int)strategy];

    /// <summary>Parses a name case-insensitively.</summary>
    public static bool TryParse(string? name, out PlaylistStrategy strategy)
    {
        for (int i = 0; i < s_names.Length; i++)
        {
            if (string.Equals(s_names[i], name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                strategy = (PlaylistStrategy)i;
                return true;
            }
        }

        strategy = default;
        return false;
    }
}
