using InMood.Engine.Threading;
using InMood.Vision.Detection;
using InMood.Vision.Imaging;

namespace InMood.Vision.Tests.Detection;

/// <summary>The embedded detector on the repository's photos (tests/data/photos/README.md gives the face counts).</summary>
public sealed class BlazeFaceDetectorTests
{
    private static readonly Lazy<BlazeFaceDetector> s_back = new(() => new BlazeFaceDetector(BlazeFaceModel.Back256));

    [Theory]
    [InlineData("one-face.jpg", 1)]
    [InlineData("two-faces.jpg", 2)]
    [InlineData("three-faces.jpg", 3)]
    [InlineData("three-faces-hard.jpg", 3)]
    public void Detect_RepositoryPhoto_FindsEveryFaceWithSensibleBoxes(string name, int faces)
    {
        RgbImage image = ImageDecoder.DecodeFile(PhotoPath(name)).Image;

        IReadOnlyList<FaceDetection> detections = s_back.Value.Detect(image);

        Assert.Equal(faces, detections.Count);
        foreach (FaceDetection face in detections)
        {
            FaceBox box = face.Box;
            Assert.InRange(box.Left, 0f, image.Width);
            Assert.InRange(box.Right, box.Left + 1f, image.Width);
            Assert.InRange(box.Top, 0f, image.Height);
            Assert.InRange(box.Bottom, box.Top + 1f, image.Height);
            float side = Math.Max(image.Width, image.Height);
            Assert.InRange(box.Width, side * 0.03f, side * 0.9f);
            Assert.InRange(box.Height / box.Width, 0.6f, 1.6f);
            float eyes = (face[FaceKeyPoint.RightEye].Y + face[FaceKeyPoint.LeftEye].Y) / 2f;
            Assert.True(eyes < face[FaceKeyPoint.Mouth].Y, $"{name}: eyes at y {eyes} are not above the mouth at {face[FaceKeyPoint.Mouth].Y}");
            Assert.InRange(face.Score, 0.5f, 1f);
        }
    }

    [Fact]
    public void Detect_FrontModelOnCloseFace_FindsOneFace()
    {
        var detector = new BlazeFaceDetector(BlazeFaceModel.Front128);
        RgbImage image = ImageDecoder.DecodeFile(PhotoPath("one-face.jpg")).Image;

        IReadOnlyList<FaceDetection> detections = detector.Detect(image);

        Assert.Single(detections);
    }

    [Fact]
    public void CreateSibling_SamePhotos_GivesExactlyTheSeparateDetectorsFaces()
    {
        var separate = new BlazeFaceDetector(BlazeFaceModel.Back256, pool: new WorkerPool(1));
        var compiled = new BlazeFaceDetector(BlazeFaceModel.Back256, pool: new WorkerPool(1));
        BlazeFaceDetector sibling = compiled.CreateSibling(new WorkerPool(1));
        RgbImage[] images = [.. new[] { "one-face.jpg", "three-faces.jpg" }.Select(name => ImageDecoder.DecodeFile(PhotoPath(name)).Image)];

        // NOTE: the sibling runs between and after runs of the detector it shares weights with, so shared buffers would show.
        List<FaceDetection>[] expected = [.. images.Select(i => separate.Detect(i).ToList())];
        List<FaceDetection>[] fromSibling = [.. images.Select(i => { compiled.Detect(images[0]); return sibling.Detect(i).ToList(); })];
        List<FaceDetection>[] fromCompiled = [.. images.Select(i => compiled.Detect(i).ToList())];

        for (int i = 0; i < images.Length; i++)
        {
            AssertSameFaces(expected[i], fromSibling[i]);
            AssertSameFaces(expected[i], fromCompiled[i]);
        }
    }

    [Fact]
    public async Task CreateSibling_TwoThreadsAtOnce_EachGetsTheSeparateDetectorsFaces()
    {
        var compiled = new BlazeFaceDetector(BlazeFaceModel.Back256, pool: new WorkerPool(1));
        BlazeFaceDetector[] siblings = [compiled.CreateSibling(new WorkerPool(1)), compiled.CreateSibling(new WorkerPool(1))];
        RgbImage[] images = [.. new[] { "two-faces.jpg", "three-faces-hard.jpg" }.Select(name => ImageDecoder.DecodeFile(PhotoPath(name)).Image)];
        var separate = new BlazeFaceDetector(BlazeFaceModel.Back256, pool: new WorkerPool(1));
        List<FaceDetection>[] expected = [.. images.Select(i => separate.Detect(i).ToList())];

        List<FaceDetection>[][] found = await Task.WhenAll(Enumerable.Range(0, 2).Select(t =>
            Task.Run(() => Enumerable.Range(0, 10).Select(_ => siblings[t].Detect(images[t]).ToList()).ToArray())));

        for (int t = 0; t < 2; t++)
        {
            foreach (List<FaceDetection> run in found[t])
            {
                AssertSameFaces(expected[t], run);
            }
        }
    }

    [Fact]
    public void Detect_PlainGreyImage_FindsNothing()
    {
        var image = new RgbImage(320, 240);
        Array.Fill(image.Pixels, (byte)128);

        IReadOnlyList<FaceDetection> detections = s_back.Value.Detect(image);

        Assert.Empty(detections);
    }

    [Fact]
    public void Constructor_ThresholdOutOfRange_ThrowsNamingIt()
    {
        var exception = Assert.Throws<ArgumentException>(() => new BlazeFaceDetector(BlazeFaceModel.Front128, new FaceDetectorOptions { ScoreThreshold = 1.5f }));

        Assert.Contains("score 1.5", exception.Message, StringComparison.Ordinal);
    }

    private static void AssertSameFaces(IReadOnlyList<FaceDetection> expected, IReadOnlyList<FaceDetection> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Box, actual[i].Box);
            Assert.Equal(expected[i].Score, actual[i].Score);
        }
    }

    private static string PhotoPath(string name)
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "InMood.Cli.sln")))
            {
                return Path.Combine(folder.FullName, "tests", "data", "photos", name);
            }
        }

        throw new DirectoryNotFoundException($"no InMood.Cli.sln above {AppContext.BaseDirectory}");
    }
}
