namespace InMood.Engine.Formats;

/// <summary>
/// Reads an input file whole, or says in a few words why it cannot: "no such file", "a folder, not a file",
/// "permission denied", else the system's message. The messages start with the path, for one-line CLI errors.
/// </summary>
public static class InputFile
{
    /// <summary>The file's bytes; an unreadable file throws <see cref="InvalidDataException"/> "PATH: cannot read the file (REASON)".</summary>
    public static byte[] ReadAllBytes(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            throw new InvalidDataException("cannot read a file with an empty name");
        }

        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: cannot read the file ({WhyUnreadable(path, e)})", e);
        }
    }

    /// <summary>Why <paramref name="path"/> is no file to read, before trying: "no such file", "a folder, not a file", or null when it is a file.</summary>
    /// <remarks>A name holding U+FFFD came from a folder listing with bytes that are not UTF-8, which .NET cannot open by name.</remarks>
    public static string? WhyMissing(string path) =>
        File.Exists(path) ? null
        : Directory.Exists(path) ? "a folder, not a file"
        : path.Contains('\uFFFD', StringComparison.Ordinal) ? "its name is not valid UTF-8, which this tool cannot open; rename it"
        : "no such file";

    /// <summary>Why opening <paramref name="path"/> for reading failed with <paramref name="error"/>, in a few words.</summary>
    public static string WhyUnreadable(string path, Exception error) => error switch
    {
        FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException when WhyMissing(path) is string missing => missing,
        UnauthorizedAccessException => "permission denied",
        _ => error.Message.ReplaceLineEndings(" "),
    };
}
