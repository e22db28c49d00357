using System.Diagnostics;
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

    [Fact]
    public void ReadAllBytes_ListedNameThatIsNotUtf8_SaysSoInsteadOfNoSuchFile()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using (Process touch = Process.Start("bash", ["-c", "touch \"$1\"$'\\xff'", "bash", Path.Combine(_folder, "bad")]))
        {
            touch.WaitForExit();
        }

        string listed = Assert.Single(Directory.GetFiles(_folder));

        var exception = Assert.Throws<InvalidDataException>(() => InputFile.ReadAllBytes(listed));

        using (Process remove = Process.Start("bash", ["-c", "rm -f \"$1\"/bad*", "bash", _folder]))
        {
            remove.WaitForExit();
        }

        Assert.Equal($"{listed}: cannot read the file (its name is not valid UTF-8, which this tool cannot open; rename it)", exception.Message);
    }

    [Fact]
    public void ReadAllBytes_EmptyName_SaysSo()
    {
        var exception = Assert.Throws<InvalidDataException>(() => InputFile.ReadAllBytes(string.Empty));

        Assert.Equal("cannot read a file with an empty name", exception.Message);
    }
}
