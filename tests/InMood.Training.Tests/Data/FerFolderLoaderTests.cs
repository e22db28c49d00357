using InMood.Training.Data;
using SkiaSharp;

namespace InMood.Training.Tests.Data;

public sealed class FerFolderLoaderTests
{
    [Fact]
    public void Load_NamedClassFolders_DecodesEveryImageInLabelOrder()
    {
        using var data = new FerTestData();
        data.WriteFile("happy/b.png", FerTestData.EncodeGray(30, SKEncodedImageFormat.Png));
        data.WriteFile("happy/a.png", FerTestData.EncodeGray(20, SKEncodedImageFormat.Png));
        data.WriteFile("angry/x.jpg", FerTestData.EncodeGray(200, SKEncodedImageFormat.Jpeg));
        data.WriteFile("Neutral/y.jpeg", FerTestData.EncodeGray(100, SKEncodedImageFormat.Jpeg));
        data.WriteText("happy/notes.txt", "not an image, ignored");

        FerDataset dataset = FerFolderLoader.Load(data.Root);

        Assert.Equal(4, dataset.Count);
        Assert.Equal([0, 3, 3, 6], dataset.Labels);
        Assert.Equal(4 * FerDataset.ImageSize, dataset.Pixels.Length);
        Assert.InRange(dataset.GetImage(0)[100], 198, 202);
        Assert.All(dataset.GetImage(1).ToArray(), value => Assert.Equal(20, value));
        Assert.All(dataset.GetImage(2).ToArray(), value => Assert.Equal(30, value));
    }

    [Fact]
    public void Load_DigitClassFolders_UsesTheFerCoding()
    {
        using var data = new FerTestData();
        data.WriteFile("5/a.png", FerTestData.EncodeGray(50, SKEncodedImageFormat.Png));
        data.WriteFile("1/b.png", FerTestData.EncodeGray(10, SKEncodedImageFormat.Png));

        FerDataset dataset = FerFolderLoader.Load(data.Root);

        Assert.Equal([1, 5], dataset.Labels);
        Assert.Equal([0, 1, 0, 0, 0, 1, 0], dataset.CountPerClass());
    }

    [Fact]
    public void Load_ImageNot48x48_ResizesTo48x48()
    {
        using var data = new FerTestData();
        data.WriteFile("sad/big.png", FerTestData.EncodeGray(77, SKEncodedImageFormat.Png, size: 100));

        FerDataset dataset = FerFolderLoader.Load(data.Root);

        Assert.Equal(1, dataset.Count);
        Assert.All(dataset.GetImage(0).ToArray(), value => Assert.Equal(77, value));
    }

    [Fact]
    public void Load_MissingPath_ThrowsNamingThePath()
    {
        string path = Path.Combine(Path.GetTempPath(), $"inmood-none-{Guid.NewGuid():N}");

        var exception = Assert.Throws<DatasetException>(() => FerFolderLoader.Load(path));

        Assert.Contains(path, exception.Message);
        Assert.Contains("not found", exception.Message);
    }

    [Fact]
    public void Load_EmptyFolder_ThrowsNoImages()
    {
        using var data = new FerTestData();
        Directory.CreateDirectory(Path.Combine(data.Root, "happy"));

        var exception = Assert.Throws<DatasetException>(() => FerFolderLoader.Load(data.Root));

        Assert.Contains("no images found", exception.Message);
    }

    [Fact]
    public void Load_UnknownClassFolder_ThrowsNamingTheFolder()
    {
        using var data = new FerTestData();
        data.WriteFile("happy/a.png", FerTestData.EncodeGray(1, SKEncodedImageFormat.Png));
        data.WriteFile("contempt/b.png", FerTestData.EncodeGray(1, SKEncodedImageFormat.Png));

        var exception = Assert.Throws<DatasetException>(() => FerFolderLoader.Load(data.Root));

        Assert.Contains("unknown class folder 'contempt'", exception.Message);
    }

    [Fact]
    public void Load_TwoFoldersForOneClass_ThrowsNamingBoth()
    {
        using var data = new FerTestData();
        data.WriteFile("happy/a.png", FerTestData.EncodeGray(1, SKEncodedImageFormat.Png));
        data.WriteFile("3/b.png", FerTestData.EncodeGray(1, SKEncodedImageFormat.Png));

        var exception = Assert.Throws<DatasetException>(() => FerFolderLoader.Load(data.Root));

        Assert.Equal($"{data.Root}: the class folders '3' and 'happy' are both happy; keep one", exception.Message);
    }

    [Fact]
    public void Load_UndecodableImage_ThrowsNamingTheFile()
    {
        using var data = new FerTestData();
        data.WriteFile("happy/a.png", FerTestData.EncodeGray(1, SKEncodedImageFormat.Png));
        string bad = data.WriteText("fear/broken.jpg", "this is not a jpeg");

        var exception = Assert.Throws<DatasetException>(() => FerFolderLoader.Load(data.Root));

        Assert.Contains(bad, exception.Message);
        Assert.Contains("not_an_image", exception.Message);
    }
}
