using InMood.Training.Data;

namespace InMood.Training.Tests.Data;

public sealed class Fer2013Tests
{
    [Fer2013Fact]
    public void Load_SharedValidationFolder_HasTheDocumentedClassCounts()
    {
        string path = Path.Combine(Fer2013FactAttribute.Fer2013Path!, "val");

        FerDataset dataset = FerFolderLoader.Load(path);

        Assert.Equal([467, 56, 496, 895, 653, 415, 607], dataset.CountPerClass());
        Assert.Equal(3589 * FerDataset.ImageSize, dataset.Pixels.Length);
    }
}
