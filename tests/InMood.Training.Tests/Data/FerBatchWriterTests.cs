using InMood.Training.Data;

namespace InMood.Training.Tests.Data;

public sealed class FerBatchWriterTests
{
    [Fact]
    public void Write_NoAugmenter_CopiesTheChosenSamplesAndLabels()
    {
        FerDataset dataset = SampleImages.Dataset(5);
        int[] indices = [4, 1];
        var images = new float[2 * FerDataset.ImageSize];
        var labels = new int[2];

        FerBatchWriter.Write(dataset, indices, null, 0, false, images, labels);

        Assert.Equal([4, 1], labels);
        Assert.Equal(dataset.GetImage(4)[100] / 255f, images[100]);
        Assert.Equal(dataset.GetImage(1)[100] / 255f, images[FerDataset.ImageSize + 100]);
    }

    [Fact]
    public void Write_ParallelWithAugmenter_MatchesSequentialAndPerSampleAugment()
    {
        FerDataset dataset = SampleImages.Dataset(20);
        int[] indices = [.. Enumerable.Range(0, 20).Reverse()];
        var augmenter = new FerAugmenter(AugmentationOptions.Default, 11);
        var sequential = new float[20 * FerDataset.ImageSize];
        var parallel = new float[20 * FerDataset.ImageSize];
        var single = new float[FerDataset.ImageSize];
        var labels = new int[20];

        FerBatchWriter.Write(dataset, indices, augmenter, 2, false, sequential, labels);
        FerBatchWriter.Write(dataset, indices, augmenter, 2, true, parallel, labels);
        augmenter.Augment(dataset.GetImage(19), 2, 19, single);

        Assert.Equal(sequential, parallel);
        Assert.Equal(single, sequential.Take(FerDataset.ImageSize));
    }

    [Fact]
    public void Write_WrongBufferSize_Throws()
    {
        FerDataset dataset = SampleImages.Dataset(3);
        var images = new float[FerDataset.ImageSize];
        var labels = new int[2];

        Assert.Throws<ArgumentException>(() => FerBatchWriter.Write(dataset, new[] { 0, 1 }, null, 0, false, images, labels));
    }
}
