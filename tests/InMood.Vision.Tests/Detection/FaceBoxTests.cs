using InMood.Vision.Detection;
using InMood.Vision.Imaging;

namespace InMood.Vision.Tests.Detection;

public sealed class FaceBoxTests
{
    [Fact]
    public void IntersectionOverUnion_HalfOverlap_IsOneThird()
    {
        var a = new FaceBox(0f, 0f, 10f, 10f);

        float iou = a.IntersectionOverUnion(new FaceBox(5f, 0f, 15f, 10f));

        Assert.Equal(1f / 3f, iou, 6);
    }

    [Fact]
    public void ToPixelRect_FractionalBox_RoundsEdgesOutward()
    {
        var box = new FaceBox(10.4f, 20.6f, 30.2f, 40.9f);

        PixelRect rect = box.ToPixelRect();

        Assert.Equal(new PixelRect(10, 20, 21, 21), rect);
    }
}
