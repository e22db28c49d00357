namespace InMood.Training.Data;

/// <summary>The seven FER2013 emotion classes, in the dataset's label coding 0-6.</summary>
public static class FerClasses
{
    public const int Count = 7;

    /// <summary>Class names by label: 0 angry, 1 disgust, 2 fear, 3 happy, 4 sad, 5 surprise, 6 neutral.</summary>
    public static IReadOnlyList<string> Names { get; } = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"];

    /// <summary>
    /// Reads a class folder name: a class name (any letter case) or the label digit "0"-"6".
    /// </summary>
    public static bool TryParseFolderName(string name, out byte label)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 1 && name[0] >= '0' && name[0] < '0' + Count)
        {
            label = (byte)(name[0] - '0');
            return true;
        }

        for (int i = 0; i < Count; i++)
        {
            if (string.Equals(name, Names[i], StringComparison.OrdinalIgnoreCase))
            {
                label = (byte)i;
                return true;
            }
        }

        label = 0;
        return false;
    }
}
