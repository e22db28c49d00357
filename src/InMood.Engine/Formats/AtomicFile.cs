using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace InMood.Engine.Formats;

/// <summary>
/// Writes a file so readers see either the old content or the complete new one: the bytes go to a temporary file
/// in the target's folder, are flushed to disk, and <see cref="Commit"/> renames the temporary file over the target.
/// A symbolic link is followed (its final target is replaced, the link kept); a target that is neither a regular
/// file nor a folder (a device such as /dev/null, a pipe, /dev/stdout) is written directly, as a shell's <c>&gt;</c>
/// would, instead of being replaced by a regular file. Missing folders on the way are created.
/// </summary>
public sealed partial class AtomicFile : IDisposable
{
    /// <summary>The temporary files of the writes in progress, for <see cref="DeleteUnfinished"/>.</summary>
    private static readonly ConcurrentDictionary<string, byte> s_unfinished = new(StringComparer.Ordinal);

    private readonly string _path;
    private readonly string _target;
    private readonly string? _temporary;
    private bool _committed;

    private AtomicFile(string path, string target, string? temporary, Stream stream)
    {
        _path = path;
        _target = target;
        _temporary = temporary;
        Stream = stream;
    }

    /// <summary>Where the content goes; its data reach the target at <see cref="Commit"/>.</summary>
    public Stream Stream { get; }

    /// <summary>
    /// Starts a write to <paramref name="path"/>.
    /// </summary>
    /// <exception cref="IOException">The file cannot be created; the message names <paramref name="path"/>.</exception>
    public static AtomicFile Create(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new IOException($"{path}: cannot write the file (a folder, not a file)");
        }

        try
        {
            if (IsSpecialFile(full))
            {
                return new AtomicFile(path, full, null, new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1));
            }

            Directory.CreateDirectory(Path.GetDirectoryName(full) ?? ".");
            var link = new FileInfo(full);
            string target = link.LinkTarget is null ? full : link.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
            string folder = Path.GetDirectoryName(target) ?? ".";
            Directory.CreateDirectory(folder);
            string temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            s_unfinished.TryAdd(temporary, 0);
            return new AtomicFile(path, target, temporary, stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{path}: cannot write the file ({Why(e)})", e);
        }
    }

    /// <summary>Writes a whole file: <paramref name="write"/> fills the stream, then the write is committed.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        using AtomicFile file = Create(path);
        write(file.Stream);
        file.Commit();
    }

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        using AtomicFile file = Create(path);
        file.Stream.Write(bytes);
        file.Commit();
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

    /// <summary>Flushes the content to disk and puts it in place of the target.</summary>
    /// <exception cref="IOException">The content cannot be written or renamed; the message names the target.</exception>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        try
        {
            Stream.Flush();
            if (_temporary is null)
            {
                _committed = true;
                return;
            }

            ((FileStream)Stream).Flush(flushToDisk: true);
            Stream.Dispose();
            File.Move(_temporary, _target, overwrite: true);
            _committed = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{_path}: cannot write the file ({Why(e)})", e);
        }
    }

    /// <summary>Closes the stream; a write not committed leaves the target as it was and deletes its temporary file.</summary>
    public void Dispose()
    {
        try
        {
            Stream.Dispose();
        }
        catch (IOException) when (!_committed)
        {
            // NOTE: an abandoned write; what the stream could not flush is not wanted.
        }

        if (_temporary is not null)
        {
            if (!_committed && File.Exists(_temporary))
            {
                File.Delete(_temporary);
            }

            s_unfinished.TryRemove(_temporary, out _);
        }
    }

    /// <summary>The reason for a failed write, without the temporary file's name.</summary>
    private static string Why(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        FileNotFoundException or DirectoryNotFoundException => "cannot create files in its folder",
        _ => e.Message.ReplaceLineEndings(" "),
    };

    /// <summary>
    /// True when the path (links followed) exists and is neither a regular file nor a folder: a character or block
    /// device, a pipe or a socket. Linux only (statx); elsewhere, or if libc cannot be called, false.
    /// </summary>
    private static unsafe bool IsSpecialFile(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        const int CurrentFolder = -100;
        const uint TypeMask = 0x1;
        const int ModeOffset = 28;
        const int FileTypeBits = 0xF000;
        const int RegularFile = 0x8000;
        const int Folder = 0x4000;
        byte* status = stackalloc byte[256];
        try
        {
            if (Statx(CurrentFolder, path, 0, TypeMask, status) != 0)
            {
                return false;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }

        int type = *(ushort*)(status + ModeOffset) & FileTypeBits;
        return type is not RegularFile and not Folder;
    }

    /// <summary>Linux statx(2): buffer is a 256-byte struct statx; stx_mode is the 16-bit field at byte 28.</summary>
    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int folderDescriptor, string path, int flags, uint mask, byte* buffer);
}
