using InMood.Vision.Imaging;

namespace InMood.Vision.Tests.Imaging;

public sealed class SamplePhotoTests
{
    [Theory]
    [InlineData("one-face.jpg", 533, 640)]
    [InlineData("two-faces.jpg", 800, 624)]
    [InlineData("three-faces.jpg", 1024, 683)]
    [InlineData("three-faces-hard.jpg", 1024, 730)]
    public void DecodeFile_RepositoryPhoto_ShrinksToTheHintAndKeepsTheSourceSize(string name, int width, int height)
    {
        string path = Path.Combine(RepositoryRoot(), "tests", "data", "photos", name);

        DecodedImage decoded = ImageDecoder.DecodeFile(path, new DecodeOptions { MaxLongSide = 320 });

        Assert.Equal((width, height), (decoded.SourceWidth, decoded.SourceHeight));
        Assert.Equal(320, Math.Max(decoded.Image.Width, decoded.Image.Height));
        Assert.Equal(decoded.ScaleX, decoded.ScaleY, 2);
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "InMood.Cli.sln")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no InMood.Cli.sln above {AppContext.BaseDirectory}");
    }
}
