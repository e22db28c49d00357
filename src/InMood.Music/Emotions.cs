namespace InMood.Music;

/// <summary>Names of the seven emotions (lower case, as on the command line and in JSON) and parsing.</summary>
public static class Emotions
{
    /// <summary>Number of emotion classes (the length of a probability vector).</summary>
    public const int Count = 7;

    private static readonly string[] s_names = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"];

    /// <summary>All emotion names in class order.</summary>
    public static IReadOnlyList<string> Names => s_names;

    /// <summary>The lower-case name of an emotion.</summary>
    public static string Name(Emotion emotion) => s_names[(int)emotion];

    /// <summary>Parses a name case-insensitively; returns false for anything but the seven names.</summary>
    public static bool TryParse(string? name, out Emotion emotion)
    {
        for (int i = 0; i < s_names.Length; i++)
        {
            if (string.Equals(s_names[i], name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                emotion = (Emotion)i;
                return true;
            }
        }

        emotion = default;
        return false;
    }
}
