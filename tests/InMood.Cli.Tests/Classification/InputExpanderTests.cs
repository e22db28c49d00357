using InMood.Cli.Classification;

namespace InMood.Cli.Tests.Classification;

public sealed class InputExpanderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("inmood-inputs-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Expand_Recursive_FilesByNameThenSubFoldersDepthFirstSkippingOtherFiles()
    {
        // Arrange
        string root = Folder("photos");
        Touch(root, "b.JPG", "a.png", "notes.txt");
        Touch(Folder("photos", "2024"), "c.webp");
        Touch(Folder("photos", "2024", "june"), "d.gif");
        Touch(Folder("photos", "2023"), "e.bmp");

        // Act
        string[] files = [.. InputExpander.Expand([root], recursive: true).Select(input => Path.GetRelativePath(_folder, input.Name))];

        // Assert
        Assert.Equal(["photos/a.png", "photos/b.JPG", "photos/2023/e.bmp", "photos/2024/c.webp", "photos/2024/june/d.gif"], files);
    }

    [Fact]
    public void Expand_HiddenFilesAndFoldersInAFolder_AreSkippedButAHiddenArgumentIsRead()
    {
        // Arrange
        string root = Folder("photos");
        Touch(root, "IMG_1.JPG", "._IMG_1.JPG", ".x.jpg");
        Touch(Folder("photos", ".thumbnails"), "IMG_1.jpg");
        string hidden = Path.Combine(root, ".x.jpg");

        // Act
        string[] files = [.. InputExpander.Expand([root, hidden], recursive: true).Select(input => Path.GetRelativePath(_folder, input.Name))];

        // Assert
        Assert.Equal(["photos/IMG_1.JPG", "photos/.x.jpg"], files);
    }

    [Fact]
    public void Expand_RecursiveWithLinkToAncestor_DoesNotEnterLinkedFolders()
    {
        // Arrange
        string root = Folder("photos");
        Touch(root, "a.jpg");
        string elsewhere = Folder("elsewhere");
        Touch(elsewhere, "b.jpg");
        Directory.CreateSymbolicLink(Path.Combine(root, "loop"), root);
        Directory.CreateSymbolicLink(Path.Combine(root, "more"), elsewhere);

        // Act
        string[] fromRoot = [.. InputExpander.Expand([root], recursive: true).Select(input => Path.GetFileName(input.Name))];
        string[] fromLink = [.. InputExpander.Expand([Path.Combine(root, "more")], recursive: true).Select(input => Path.GetFileName(input.Name))];

        // Assert
        Assert.Equal(["a.jpg"], fromRoot);
        Assert.Equal(["b.jpg"], fromLink);
    }

    private string Folder(params string[] parts)
    {
        string path = Path.Combine([_folder, .. parts]);
        Directory.CreateDirectory(path);
        return path;
    }

    private static void Touch(string folder, params string[] names)
    {
        foreach (string name in names)
        {
            File.WriteAllBytes(Path.Combine(folder, name), [0]);
        }
    }
}
