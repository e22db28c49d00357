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
}
