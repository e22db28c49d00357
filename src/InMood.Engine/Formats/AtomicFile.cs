using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace InMood.Engine.Formats;

/// <summary>
/// Writes a file so readers see either the old content or the complete new one: the bytes go to a temporary file
/// in the target's folder, are flushed to disk, and <see cref="Commit"/> renames the temporary file over the target.
/// A symbolic link is followed (its final target is replaced, the link kept); on Linux a target that is a pipe or a
/// device (/dev/null, /dev/stdout, a FIFO) is written directly, as a shell's <c>&gt;</c> would, instead of being
/// replaced by a regular file (such a write is not atomic). Missing folders on the way are created. Errors name the
/// target, never the temporary file.
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
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            throw new IOException("cannot write a file with an empty name");
        }

        if (Path.EndsInDirectorySeparator(path))
        {
            throw new IOException($"{path}: cannot write the file (a file name is needed, not a folder name)");
        }

        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new IOException($"{path}: cannot write the file (a folder, not a file)");
        }

        string? temporary = null;
        try
        {
            if (IsPipeOrDevice(full))
            {
                return new AtomicFile(path, full, null, new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1));
            }

            var link = new FileInfo(full);
            string target = link.LinkTarget is null ? full : link.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
            string folder = Path.GetDirectoryName(target) ?? ".";
            Directory.CreateDirectory(folder);
            temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
            s_unfinished.TryAdd(temporary, 0);
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            return new AtomicFile(path, target, temporary, stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (temporary is not null)
            {
                s_unfinished.TryRemove(temporary, out _);
            }

            throw Failure(e, temporary, path);
        }
    }

    /// <summary>
    /// Writes a whole file: <paramref name="write"/> fills the stream, then the write is committed. An
    /// <see cref="IOException"/> from <paramref name="write"/> (a full disk) comes back naming <paramref name="path"/>.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        using AtomicFile file = Create(path);
        try
        {
            write(file.Stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw file.Failure(e);
        }

        file.Commit();
    }

    /// <summary>Writes <paramref name="bytes"/> as the whole file (<see cref="Write"/>).</summary>
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

    /// <summary>Flushes the content to disk and puts it in place of the target.</summary>
    /// <exception cref="IOException">The content cannot be written or renamed; the message names the target.</exception>
    /// <exception cref="InvalidOperationException">The write was committed already.</exception>
    public void Commit()
    {
        if (_committed)
        {
            throw new InvalidOperationException($"{_path}: the write was committed already.");
        }

        try
        {
            if (_temporary is null)
            {
                Stream.Flush();
            }
            else
            {
                ((FileStream)Stream).Flush(flushToDisk: true);
                Stream.Dispose();
                File.Move(_temporary, _target, overwrite: true);
            }

            _committed = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure(e);
        }
    }

    /// <summary>
    /// The failed write of this file as one IOException "PATH: cannot write the file (REASON)", its reason naming the
    /// target instead of the temporary file.
    /// </summary>
    public IOException Failure(Exception error) => Failure(error, _temporary, _path);

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
            try
            {
                if (!_committed)
                {
                    File.Delete(_temporary);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // NOTE: the write has failed already; that error, not this one, is the one to report.
            }
            finally
            {
                s_unfinished.TryRemove(_temporary, out _);
            }
        }
    }

    private static IOException Failure(Exception e, string? temporary, string path) =>
        new($"{path}: cannot write the file ({Why(e, temporary, path)})", e);

    /// <summary>The reason for a failed write in a few words, with the temporary file's name replaced by the target's.</summary>
    private static string Why(Exception e, string? temporary, string path) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        FileNotFoundException or DirectoryNotFoundException => "cannot create files in its folder",
        _ when temporary is not null => e.Message.Replace(temporary, path, StringComparison.Ordinal).ReplaceLineEndings(" "),
        _ => e.Message.ReplaceLineEndings(" "),
    };

    /// <summary>
    /// True when the path (links followed) is a pipe (FIFO) or a character or block device. Linux only (statx);
    /// elsewhere, or if libc cannot be called, false.
    /// </summary>
    private static unsafe bool IsPipeOrDevice(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        const int CurrentFolder = -100;
        const uint TypeMask = 0x1;
        const int ModeOffset = 28;
        const int FileTypeBits = 0xF000;
        const int Pipe = 0x1000;
        const int CharacterDevice = 0x2000;
        const int BlockDevice = 0x6000;
        byte* status = stackalloc byte[256];
        try
        {
            if (Statx(CurrentFolder, path, 0, TypeMask, status) != 0 || (*(uint*)status & TypeMask) == 0)
            {
                return false;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }

        int type = *(ushort*)(status + ModeOffset) & FileTypeBits;
        return type is Pipe or CharacterDevice or BlockDevice;
    }

    /// <summary>Linux statx(2): buffer is a 256-byte struct statx; stx_mask is its first 32 bits, stx_mode the 16-bit field at byte 28.</summary>
    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int folderDescriptor, string path, int flags, uint mask, byte* buffer);
}
