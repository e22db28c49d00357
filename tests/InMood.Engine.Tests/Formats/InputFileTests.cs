using InMood.Engine.Formats;

namespace InMood.Engine.Tests.Formats;

public sealed class InputFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("inmood-input-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void ReadAllBytes_File_ReturnsItsBytes()
    {
        string path = Path.Combine(_folder, "model.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);

        byte[] bytes = InputFile.ReadAllBytes(path);

        Assert.Equal([1, 2, 3], bytes);
    }

    [Fact]
    public void ReadAllBytes_Missing_SaysNoSuchFile()
    {
        string path = Path.Combine(_folder, "missing.safetensors");

        var exception = Assert.Throws<InvalidDataException>(() => InputFile.ReadAllBytes(path));

        Assert.Equal($"{path}: cannot read the file (no such file)", exception.Message);
    }

    [Fact]
    public void ReadAllBytes_Folder_SaysItIsAFolder()
    {
        string path = _folder;

        var exception = Assert.Throws<InvalidDataException>(() => InputFile.ReadAllBytes(path));

        Assert.Equal($"{path}: cannot read the file (a folder, not a file)", exception.Message);
    }
}
