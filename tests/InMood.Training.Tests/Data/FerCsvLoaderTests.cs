using InMood.Training.Data;

namespace InMood.Training.Tests.Data;

public sealed class FerCsvLoaderTests
{
    private const string Header = "emotion,pixels,Usage";

    [Fact]
    public void Load_ThreeRows_ReturnsEveryRow()
    {
        using var data = new FerTestData();
        string path = data.WriteText("fer2013.csv", string.Join('\n', Header, FerTestData.Row(3, 10, "Training"), FerTestData.Row(0, 255, "PublicTest"), FerTestData.Row(6, 0, "PrivateTest"), ""));

        FerDataset dataset = FerCsvLoader.Load(path);

        Assert.Equal([3, 0, 6], dataset.Labels);
        Assert.All(dataset.GetImage(0).ToArray(), value => Assert.Equal(10, value));
        Assert.All(dataset.GetImage(1).ToArray(), value => Assert.Equal(255, value));
    }

    [Fact]
    public void Load_UsageFilter_KeepsOnlyThatSplit()
    {
        using var data = new FerTestData();
        string path = data.WriteText("fer2013.csv", string.Join('\n', Header, FerTestData.Row(3, 10, "Training"), FerTestData.Row(0, 255, "PublicTest"), FerTestData.Row(6, 0, "PrivateTest")));

        FerDataset dataset = FerCsvLoader.Load(path, FerUsage.PublicTest);

        Assert.Equal([0], dataset.Labels);
    }

    [Fact]
    public void Load_DistinctPixelValues_KeepsRowMajorOrder()
    {
        using var data = new FerTestData();
        string pixels = string.Join(' ', Enumerable.Range(0, FerDataset.ImageSize).Select(i => i % 256));
        string path = data.WriteText("fer2013.csv", $"{Header}\r\n2,{pixels},Training\r\n");

        FerDataset dataset = FerCsvLoader.Load(path);

        Assert.Equal(Enumerable.Range(0, FerDataset.ImageSize).Select(i => (byte)(i % 256)), dataset.GetImage(0).ToArray());
    }

    [Fact]
    public void Load_MissingFile_ThrowsNamingThePath()
    {
        string path = Path.Combine(Path.GetTempPath(), $"inmood-none-{Guid.NewGuid():N}.csv");

        var exception = Assert.Throws<DatasetException>(() => FerCsvLoader.Load(path));

        Assert.Contains(path, exception.Message);
    }

    [Fact]
    public void Load_IcmlColumnOrderQuotedFieldsAndLowerCaseUsage_ReadsTheSameRows()
    {
        using var data = new FerTestData();
        string pixels = string.Join(' ', Enumerable.Repeat(40, FerDataset.ImageSize));
        string path = data.WriteText("icml_face_data.csv", $"emotion, Usage, pixels\n5, Training, \"{pixels}\"\n\"2\",publictest,{pixels}\n");

        FerDataset training = FerCsvLoader.Load(path, FerUsage.Training);
        FerDataset publicTest = FerCsvLoader.Load(path, FerUsage.PublicTest);

        Assert.Equal([5], training.Labels);
        Assert.Equal([2], publicTest.Labels);
        Assert.All(training.GetImage(0).ToArray(), value => Assert.Equal(40, value));
    }

    [Fact]
    public void Load_BadHeader_ThrowsNamingLineOne()
    {
        using var data = new FerTestData();
        string path = data.WriteText("fer2013.csv", "label,image\n" + FerTestData.Row(3, 10, "Training"));

        var exception = Assert.Throws<DatasetException>(() => FerCsvLoader.Load(path));

        Assert.StartsWith($"{path}:1:", exception.Message);
        Assert.Contains("'label,image'", exception.Message);
    }

    [Fact]
    public void Load_WrongPixelCount_ThrowsNamingTheLine()
    {
        using var data = new FerTestData();
        string path = data.WriteText("fer2013.csv", string.Join('\n', Header, FerTestData.Row(3, 10, "Training"), FerTestData.Row(3, 10, "Training", count: 2303)));

        var exception = Assert.Throws<DatasetException>(() => FerCsvLoader.Load(path));

        Assert.StartsWith($"{path}:3:", exception.Message);
        Assert.Contains("found 2303 pixel values, expected 2304", exception.Message);
    }

    [Fact]
    public void Load_PixelAbove255_ThrowsNamingTheLine()
    {
        using var data = new FerTestData();
        string path = data.WriteText("fer2013.csv", string.Join('\n', Header, FerTestData.Row(3, 256, "Training")));

        var exception = Assert.Throws<DatasetException>(() => FerCsvLoader.Load(path));

        Assert.StartsWith($"{path}:2:", exception.Message);
        Assert.Contains("256", exception.Message);
    }

    [Theory]
    [InlineData("7")]
    [InlineData("-1")]
    [InlineData("happy")]
    public void Load_LabelOutOfRange_ThrowsNamingTheLine(string label)
    {
        using var data = new FerTestData();
        string row = FerTestData.Row(0, 10, "Training");
        string path = data.WriteText("fer2013.csv", string.Join('\n', Header, label + row[1..]));

        var exception = Assert.Throws<DatasetException>(() => FerCsvLoader.Load(path));

        Assert.StartsWith($"{path}:2:", exception.Message);
        Assert.Contains($"emotion label '{label}'", exception.Message);
    }

    [Fact]
    public void Load_UnknownUsage_ThrowsNamingTheLine()
    {
        using var data = new FerTestData();
        string path = data.WriteText("fer2013.csv", string.Join('\n', Header, FerTestData.Row(1, 10, "Validation")));

        var exception = Assert.Throws<DatasetException>(() => FerCsvLoader.Load(path, FerUsage.Training));

        Assert.Contains("unknown Usage 'Validation'", exception.Message);
    }
}
