using InMood.Vision.Imaging;

namespace InMood.Vision.Tests.Imaging;

public sealed class ImageCropperTests
{
    private static GrayImage Numbered()
    {
        // 4x3, pixel (x, y) = 10 y + x.
        var image = new GrayImage(4, 3);
        for (int y = 0; y < 3; y++)
        {
            for (int x = 0; x < 4; x++)
            {
                image.Pixels[y * 4 + x] = (byte)(10 * y + x);
            }
        }

        return image;
    }

    [Fact]
    public void Crop_InsideTheImage_CopiesTheRectangle()
    {
        GrayImage image = Numbered();

        GrayImage crop = ImageCropper.Crop(image, new PixelRect(1, 1, 2, 2));

        Assert.Equal([11, 12, 21, 22], crop.Pixels);
    }

    [Fact]
    public void Crop_PastTheTopLeftAndBottomRight_ReplicatesEdgePixels()
    {
        GrayImage image = Numbered();

        GrayImage crop = ImageCropper.Crop(image, new PixelRect(-1, -1, 6, 5));

        byte[] expected =
        [
            0, 0, 1, 2, 3, 3,
            0, 0, 1, 2, 3, 3,
            10, 10, 11, 12, 13, 13,
            20, 20, 21, 22, 23, 23,
            20, 20, 21, 22, 23, 23,
        ];
        Assert.Equal(expected, crop.Pixels);
    }

    [Fact]
    public void Crop_RgbEntirelyOutside_RepeatsTheNearestCorner()
    {
        var image = new RgbImage(2, 2, 6, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);

        RgbImage crop = ImageCropper.Crop(image, new PixelRect(5, 5, 1, 2));

        Assert.Equal([10, 11, 12, 10, 11, 12], crop.Pixels);
    }

    [Fact]
    public void Inflate_MarginFraction_GrowsEverySideAroundTheSameCentre()
    {
        var box = new PixelRect(100, 50, 100, 60);

        PixelRect grown = box.Inflate(0.2f);

        Assert.Equal(new PixelRect(80, 38, 140, 84), grown);
    }
}
