namespace InMood.Cli;

/// <summary>Compares the paths users give: whether two name one file, and which of several repeat one.</summary>
internal static class FilePaths
{
    /// <summary>The full path with a final symbolic link (file or folder) followed to what it names.</summary>
    public static string FinalPath(string path)
    {
        string full = Path.GetFullPath(path);
        try
        {
            FileSystemInfo info = Directory.Exists(full) ? new DirectoryInfo(full) : new FileInfo(full);
            return info.LinkTarget is null ? full : info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return full;
        }
    }

    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> name one file (links followed; it need not exist yet).</summary>
    public static bool Same(string a, string b) => a.Length > 0 && b.Length > 0 && FinalPath(a) == FinalPath(b);

    /// <summary>The first of <paramref name="paths"/> that names the same file as an earlier one, or null.</summary>
    public static string? FirstRepeated(IReadOnlyList<string> paths)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return paths.FirstOrDefault(p => p.Length > 0 && !seen.Add(FinalPath(p)));
    }
}
