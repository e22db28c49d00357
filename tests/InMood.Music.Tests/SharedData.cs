namespace InMood.Music.Tests;

/// <summary>Finds the shared data folder (../shared next to the repository) without absolute paths.</summary>
internal static class SharedData
{
    /// <summary>The repository root: the nearest ancestor of the test binaries holding InMood.Cli.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>../shared/data/music/deezer-mood relative to the repository root.</summary>
    public static string DeezerMoodFolder { get; } = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data", "music", "deezer-mood"));

    /// <summary>True when the three Deezer CSV files are present.</summary>
    public static bool HasDeezerMood => DeezerCsv.FileNames.All(name => File.Exists(Path.Combine(DeezerMoodFolder, name)));

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "InMood.Cli.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"InMood.Cli.sln not found above {AppContext.BaseDirectory}");
    }
}
