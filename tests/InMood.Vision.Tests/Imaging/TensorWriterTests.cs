using InMood.Vision.Imaging;

namespace InMood.Vision.Tests.Imaging;

public sealed class TensorWriterTests
{
    [Fact]
    public void WriteNchw_RgbAtOffset_WritesThreePlanesAndNothingElse()
    {
        var image = new RgbImage(2, 1, 6, [10, 20, 30, 40, 50, 60]);
        var destination = new float[9];
        destination.AsSpan().Fill(-7f);

        TensorWriter.WriteNchw(image, new Normalization(0.5f, 1f), destination, 2);

        Assert.Equal([-7f, -7f, 6f, 21f, 11f, 26f, 16f, 31f, -7f], destination);
    }

    [Fact]
    public void WriteNchw_GrayZeroToOne_DividesBy255()
    {
        var image = new GrayImage(2, 1, 2, [0, 255]);
        var destination = new float[2];

        TensorWriter.WriteNchw(image, Normalization.ZeroToOne, destination, 0);

        Assert.Equal([0f, 1f], destination);
    }

    [Fact]
    public void WriteNhwc_MinusOneToOne_KeepsChannelsInterleaved()
    {
        var image = new RgbImage(1, 1, 3, [0, 255, 0]);
        var destination = new float[3];

        TensorWriter.WriteNhwc(image, Normalization.MinusOneToOne, destination, 0);

        Assert.Equal([-1f, 1f, -1f], destination);
    }

    [Fact]
    public void WriteNchw_DestinationTooShort_Throws()
    {
        var image = new GrayImage(4, 4);
        var destination = new float[20];

        Assert.Throws<ArgumentOutOfRangeException>(() => TensorWriter.WriteNchw(image, Normalization.ZeroToOne, destination, 5));
    }

    [Fact]
    public void WriteNhwcLetterbox_WideImage_CentresItBetweenBlackBands()
    {
        var image = new RgbImage(4, 2);
        image.Pixels.AsSpan().Fill(255);
        var destination = new float[4 * 4 * 3];

        LetterboxTransform transform = TensorWriter.WriteNhwcLetterbox(image, 4, Normalization.MinusOneToOne, destination, 0);

        Assert.Equal((0, 1), (transform.OffsetX, transform.OffsetY));
        Assert.All(destination.AsSpan(0, 12).ToArray(), value => Assert.Equal(-1f, value));
        Assert.All(destination.AsSpan(12, 24).ToArray(), value => Assert.Equal(1f, value));
        Assert.All(destination.AsSpan(36, 12).ToArray(), value => Assert.Equal(-1f, value));
    }
}
