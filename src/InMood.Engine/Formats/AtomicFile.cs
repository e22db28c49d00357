using System.Collections.Concurrent;

namespace InMood.Engine.Formats;

/// <summary>
/// Writes a file so readers see either the old content or the complete new one: the bytes go to a
/// temporary file in the same folder, are flushed to disk, and the temporary file is renamed over the target.
/// </summary>
public static class AtomicFile
{
    /// <summary>The temporary files of the writes in progress, for <see cref="DeleteUnfinished"/>.</summary>
    private static readonly ConcurrentDictionary<string, byte> s_unfinished = new(StringComparer.Ordinal);

    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(folder);
        string temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        s_unfinished.TryAdd(temporary, 0);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }

            s_unfinished.TryRemove(temporary, out _);
        }
    }

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        byte[] copy = bytes.ToArray();
        Write(path, stream => stream.Write(copy));
    }

    /// <summary>
    /// Deletes the temporary files of the writes still in progress, for a process about to be ended by a signal: their
    /// targets keep their old content (or stay absent), and no <c>.NAME.PID.GUID.tmp</c> is left beside them. A write
    /// whose temporary is deleted this way fails instead of renaming.
    /// </summary>
    public static void DeleteUnfinished()
    {
        foreach (string temporary in s_unfinished.Keys)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // NOTE: best effort on the way out; the process ends either way.
            }
        }
    }
}
