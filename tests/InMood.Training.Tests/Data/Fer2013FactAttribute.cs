namespace InMood.Training.Tests.Data;

/// <summary>
/// A fact that needs the FER2013 image folders in shared/data/fer2013 beside the repository (the repository's
/// parent folder + shared); it is skipped, saying where it looked, when they are absent.
/// </summary>
public sealed class Fer2013FactAttribute : FactAttribute
{
    public Fer2013FactAttribute()
    {
        if (Fer2013Path is null)
        {
            Skip = $"FER2013 not found: expected shared/data/fer2013 beside the repository (looked up from {AppContext.BaseDirectory})";
        }
    }

    /// <summary>The fer2013 folder, or null when there is none.</summary>
    public static string? Fer2013Path { get; } = Locate();

    private static string? Locate()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "InMood.Cli.sln")))
            {
                string? parent = folder.Parent?.FullName;
                string? path = parent is null ? null : Path.Combine(parent, "shared", "data", "fer2013");
                return path is not null && Directory.Exists(Path.Combine(path, "val")) ? path : null;
            }
        }

        return null;
    }
}
