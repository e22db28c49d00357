namespace InMood.Cli.Tests.Classification;

/// <summary>Where the repository, its test photos and the shared FER2013 data are, found from the test binary's folder.</summary>
internal static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Photos => Path.Combine(RepositoryRoot, "tests", "data", "photos");

    public static string Schema => Path.Combine(RepositoryRoot, "docs", "output.schema.json");

    /// <summary>FER2013's validation folder (class sub-folders of 48x48 JPEGs) in ../shared beside the repository.</summary>
    public static string FerValidation => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data", "fer2013", "val"));

    public static bool HasFer => Directory.Exists(FerValidation);

    private static string FindRoot()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "InMood.Cli.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no InMood.Cli.sln above {AppContext.BaseDirectory}");
    }
}
