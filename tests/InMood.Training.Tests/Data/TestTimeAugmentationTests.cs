using InMood.Training.Data;

namespace InMood.Training.Tests.Data;

public sealed class TestTimeAugmentationTests
{
    private const int Side = FerDataset.Side;

    [Theory]
    [InlineData(TestTimeViews.Identity, 1)]
    [InlineData(TestTimeViews.IdentityAndFlip, 2)]
    [InlineData(TestTimeViews.TenCrop, 10)]
    public void ViewCount_EachMode_CountsItsViews(TestTimeViews views, int expected)
    {
        int count = TestTimeAugmentation.ViewCount(views);

        Assert.Equal(expected, count);
    }

    [Fact]
    public void WriteViews_IdentityAndFlip_WritesTheImageThenItsMirror()
    {
        byte[] image = SampleImages.Ramp();
        var output = new float[2 * FerDataset.ImageSize];

        TestTimeAugmentation.WriteViews(image, TestTimeViews.IdentityAndFlip, TestTimeAugmentation.DefaultShift, output);

        Assert.Equal(image.Select(value => value / 255f), output.Take(FerDataset.ImageSize));
        Assert.Equal(image[5 * Side + 47] / 255f, output[FerDataset.ImageSize + 5 * Side]);
        Assert.Equal(image[5 * Side] / 255f, output[FerDataset.ImageSize + 5 * Side + 47]);
    }

    [Fact]
    public void WriteViews_TenCrop_TopLeftCropIsThePaddedImageShiftedDownRight()
    {
        byte[] image = SampleImages.Ramp();
        var output = new float[10 * FerDataset.ImageSize];

        TestTimeAugmentation.WriteViews(image, TestTimeViews.TenCrop, 4, output);

        Span<float> topLeft = output.AsSpan(2 * FerDataset.ImageSize, FerDataset.ImageSize);
        Assert.Equal(image[0] / 255f, topLeft[0]);
        Assert.Equal(image[0] / 255f, topLeft[4 * Side + 4]);
        Assert.Equal(image[10 * Side + 10] / 255f, topLeft[14 * Side + 14]);
        Span<float> bottomRight = output.AsSpan(8 * FerDataset.ImageSize, FerDataset.ImageSize);
        Assert.Equal(image[14 * Side + 14] / 255f, bottomRight[10 * Side + 10]);
        Assert.Equal(image[47 * Side + 47] / 255f, bottomRight[47 * Side + 47]);
    }

    [Fact]
    public void WriteViews_TenCrop_OddViewsMirrorTheViewBefore()
    {
        byte[] image = SampleImages.Ramp();
        var output = new float[10 * FerDataset.ImageSize];

        TestTimeAugmentation.WriteViews(image, TestTimeViews.TenCrop, 4, output);

        for (int view = 0; view < 10; view += 2)
        {
            int plain = view * FerDataset.ImageSize;
            int mirrored = plain + FerDataset.ImageSize;
            for (int y = 0; y < Side; y++)
            {
                for (int x = 0; x < Side; x++)
                {
                    Assert.Equal(output[plain + y * Side + Side - 1 - x], output[mirrored + y * Side + x]);
                }
            }
        }
    }
}
