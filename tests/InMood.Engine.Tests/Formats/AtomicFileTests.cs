using System.Diagnostics;
using InMood.Engine.Formats;

namespace InMood.Engine.Tests.Formats;

/// <summary>
/// Not run beside other tests: <see cref="AtomicFile.DeleteUnfinished"/> deletes every write in progress in the
/// process, the other test classes' too.
/// </summary>
[Collection(nameof(AtomicFileTests))]
[CollectionDefinition(nameof(AtomicFileTests), DisableParallelization = true)]
public sealed class AtomicFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("inmood-atomic-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Write_FailingWriter_KeepsOldContentAndLeavesNoTemporary()
    {
        string path = Path.Combine(_folder, "weights.bin");
        File.WriteAllText(path, "old");

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.WriteByte(1);
            throw new InvalidOperationException("disk full");
        }));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_folder));
    }

    [Fact]
    public void DeleteUnfinished_DuringWrite_RemovesTemporaryAndTargetKeepsOldContent()
    {
        string path = Path.Combine(_folder, "weights.bin");
        File.WriteAllText(path, "old");
        int filesDuringWrite = 0;

        Assert.ThrowsAny<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.WriteByte(1);
            filesDuringWrite = Directory.GetFiles(_folder).Length;
            AtomicFile.DeleteUnfinished();
        }));

        Assert.Equal(2, filesDuringWrite);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_folder));
    }

    [Fact]
    public void Write_MissingFolders_CreatesThem()
    {
        string path = Path.Combine(_folder, "a", "b", "weights.bin");

        AtomicFile.WriteAllBytes(path, [1, 2, 3]);

        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
    }

    [Fact]
    public void Write_SymbolicLinkToFile_ReplacesItsTargetAndKeepsTheLink()
    {
        string target = Path.Combine(_folder, "real.bin");
        string link = Path.Combine(_folder, "link.bin");
        File.WriteAllText(target, "old");
        File.CreateSymbolicLink(link, target);

        AtomicFile.WriteAllBytes(link, "new"u8);

        Assert.Equal(target, new FileInfo(link).LinkTarget);
        Assert.Equal("new", File.ReadAllText(target));
        Assert.Equal(2, Directory.GetFiles(_folder).Length);
    }

    [Fact]
    public void Write_Folder_ThrowsNamingThePath()
    {
        var exception = Assert.Throws<IOException>(() => AtomicFile.WriteAllBytes(_folder, [1]));

        Assert.Equal($"{_folder}: cannot write the file (a folder, not a file)", exception.Message);
    }

    [Fact]
    public void Write_FolderThatTakesNoFiles_ThrowsNamingThePathNotTheTemporary()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        const string path = "/proc/inmood-atomic-test.bin";

        var exception = Assert.Throws<IOException>(() => AtomicFile.WriteAllBytes(path, [1]));

        Assert.StartsWith($"{path}: cannot write the file (", exception.Message);
        Assert.DoesNotContain(".tmp", exception.Message);
    }

    [Fact]
    public async Task Write_NamedPipe_WritesIntoThePipeInsteadOfReplacingIt()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        string fifo = Path.Combine(_folder, "pipe");
        using (Process mkfifo = Process.Start("mkfifo", fifo))
        {
            mkfifo.WaitForExit();
        }

        Task<string> reader = Task.Run(() => File.ReadAllText(fifo));

        AtomicFile.WriteAllBytes(fifo, "through the pipe"u8);

        Assert.Equal("through the pipe", await reader.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("fifo", FileType(fifo));
        Assert.Equal([fifo], Directory.GetFiles(_folder));
    }

    [Fact]
    public void Write_FailingWriteToRegularFile_NamesTheTargetNotTheTemporary()
    {
        string path = Path.Combine(_folder, "weights.bin");

        var exception = Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.WriteByte(1);
            throw new IOException($"No space left on device : '{Directory.GetFiles(_folder).Single()}'");
        }));

        Assert.Equal($"{path}: cannot write the file (No space left on device : '{path}')", exception.Message);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public void Create_NoFileName_ThrowsSayingSo()
    {
        var empty = Assert.Throws<IOException>(() => AtomicFile.Create(string.Empty));
        var folderName = Assert.Throws<IOException>(() => AtomicFile.Create("results/"));

        Assert.Equal("cannot write a file with an empty name", empty.Message);
        Assert.Equal("results/: cannot write the file (a file name is needed, not a folder name)", folderName.Message);
        Assert.False(Directory.Exists("results"));
    }

    /// <summary>The file type `stat` reports ("regular file", "fifo", ...).</summary>
    private static string FileType(string path)
    {
        using Process stat = Process.Start(new ProcessStartInfo("stat", ["-L", "-c", "%F", path]) { RedirectStandardOutput = true })!;
        string type = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return type;
    }
}
