namespace InMood.Cli.Classification;

/// <summary>
/// Turns command-line arguments into the ordered stream of images to classify, lazily: one folder's names are held at
/// a time, never the whole tree's. Order: arguments as given; inside a folder, its image files by ordinal name, then
/// (with recursion) its sub-folders by ordinal name, depth first. Recursion does not enter sub-folders that are
/// symbolic links (as find, ripgrep and os.walk do by default), so a link to an ancestor cannot loop; a link named
/// as an argument is followed. Files named directly are taken whatever their extension (a non-image becomes an error
/// record); files met inside a folder are taken only with an image extension (.jpg, .jpeg, .png, .bmp, .gif, .webp,
/// any case), so a README beside the photos is skipped; hidden files and folders (named .*) inside a folder are
/// skipped too. A path that does not exist is passed on as a file and fails
/// to read; a folder that cannot be listed becomes one input that fails.
/// </summary>
internal static class InputExpander
{
    /// <summary>The argument that names standard input.</summary>
    public const string StandardInput = "-";

    private static readonly string[] s_imageExtensions = [".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp"];

    /// <summary>The inputs named by <paramref name="arguments"/>, numbered from 0 in order.</summary>
    public static IEnumerable<ClassifyInput> Expand(IReadOnlyList<string> arguments, bool recursive)
    {
        int index = 0;
        foreach (string argument in arguments)
        {
            if (argument == StandardInput)
            {
                yield return new ClassifyInput(index++, StandardInput, IsStandardInput: true);
            }
            else if (Directory.Exists(argument))
            {
                foreach ((string file, string? unreadable) in FilesIn(argument, recursive))
                {
                    yield return new ClassifyInput(index++, file, IsStandardInput: false, unreadable);
                }
            }
            else
            {
                yield return new ClassifyInput(index++, argument, IsStandardInput: false);
            }
        }
    }

    /// <summary>Counts what <see cref="Expand"/> would yield without keeping the names (for the progress bar's total).</summary>
    public static int Count(IReadOnlyList<string> arguments, bool recursive, CancellationToken cancellationToken)
    {
        int count = 0;
        foreach (ClassifyInput _ in Expand(arguments, recursive))
        {
            cancellationToken.ThrowIfCancellationRequested();
            count++;
        }

        return count;
    }

    /// <summary>The folder arguments that hold no image file (in their sub-folders too, with <paramref name="recursive"/>), in order.</summary>
    public static IEnumerable<string> FoldersWithoutImages(IReadOnlyList<string> arguments, bool recursive) =>
        arguments.Where(argument => argument != StandardInput && Directory.Exists(argument) && !FilesIn(argument, recursive).Any());

    /// <summary>
    /// The argument through which <see cref="Expand"/> would read the existing file <paramref name="path"/> (named
    /// directly, or an image in a folder argument or, with <paramref name="recursive"/>, below it), links followed;
    /// null when none would. Hard links and folders reached through a linked parent are not recognised.
    /// </summary>
    public static string? ArgumentReading(IReadOnlyList<string> arguments, bool recursive, string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            string target = FilePaths.FinalPath(path);
            string folderOfTarget = Path.GetDirectoryName(target) ?? string.Empty;
            foreach (string argument in arguments)
            {
                if (argument == StandardInput)
                {
                    continue;
                }

                if (File.Exists(argument) && FilePaths.FinalPath(argument) == target)
                {
                    return argument;
                }

                if (Directory.Exists(argument) && HasImageExtension(target))
                {
                    string folder = Path.TrimEndingDirectorySeparator(FilePaths.FinalPath(argument));
                    bool inside = recursive
                        ? folderOfTarget == folder || folderOfTarget.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                        : folderOfTarget == folder;
                    if (inside)
                    {
                        return argument;
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return null;
    }

    /// <summary>True when the file name ends in one of the image extensions this tool reads from folders.</summary>
    public static bool HasImageExtension(string path)
    {
        string extension = Path.GetExtension(path);
        return s_imageExtensions.Any(e => string.Equals(e, extension, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Whether a name met inside a folder is hidden (starts with '.'): macOS's ._ resource forks, .thumbnails/,
    /// editors' temporaries. Hidden entries are skipped, as ls and shell globs skip them; one named as an argument is read.
    /// </summary>
    private static bool IsHidden(string name) => name.StartsWith('.');

    /// <summary>The image files in <paramref name="folder"/> (and its sub-folders), each with null, or the folder itself with why it cannot be listed.</summary>
    private static IEnumerable<(string Path, string? Unreadable)> FilesIn(string folder, bool recursive)
    {
        string[] files = [], folders = [];
        string? unlistable = null;
        try
        {
            files = Directory.GetFiles(folder);

            // NOTE: the link flag comes with the listing (no call per entry that could fail on its own).
            folders = recursive
                ? [.. new DirectoryInfo(folder).EnumerateDirectories().Where(d => !d.Attributes.HasFlag(FileAttributes.ReparsePoint) && !IsHidden(d.Name)).Select(d => Path.Combine(folder, d.Name))]
                : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            unlistable = e switch
            {
                UnauthorizedAccessException => "permission denied",
                DirectoryNotFoundException => "no such folder",
                _ => e.Message.ReplaceLineEndings(" "),
            };
        }

        if (unlistable is not null)
        {
            // NOTE: an unlistable folder becomes one input that fails, so it gets an error record.
            yield return (folder, $"cannot list the folder ({unlistable})");
            yield break;
        }

        Array.Sort(files, StringComparer.Ordinal);
        foreach (string file in files.Where(f => HasImageExtension(f) && !IsHidden(Path.GetFileName(f))))
        {
            yield return (file, null);
        }

        Array.Sort(folders, StringComparer.Ordinal);
        foreach (string sub in folders)
        {
            foreach ((string Path, string? Unreadable) file in FilesIn(sub, recursive))
            {
                yield return file;
            }
        }
    }
}
