using InMood.Training.Data;

namespace InMood.Training.Tests.Data;

/// <summary>Deterministic 48 x 48 test faces.</summary>
internal static class SampleImages
{
    /// <summary>Pixel (x, y) = (5 x + 3 y) mod 256: every column and row differs, so flips and shifts show.</summary>
    public static byte[] Ramp()
    {
        var image = new byte[FerDataset.ImageSize];
        for (int y = 0; y < FerDataset.Side; y++)
        {
            for (int x = 0; x < FerDataset.Side; x++)
            {
                image[y * FerDataset.Side + x] = (byte)((5 * x + 3 * y) % 256);
            }
        }

        return image;
    }

    /// <summary>A dataset of count ramp images shifted in value by their index, labels index mod 7.</summary>
    public static FerDataset Dataset(int count)
    {
        var pixels = new byte[count * FerDataset.ImageSize];
        var labels = new byte[count];
        byte[] ramp = Ramp();
        for (int i = 0; i < count; i++)
        {
            for (int p = 0; p < FerDataset.ImageSize; p++)
            {
                pixels[i * FerDataset.ImageSize + p] = (byte)(ramp[p] + 7 * i);
            }

            labels[i] = (byte)(i % FerClasses.Count);
        }

        return new FerDataset(pixels, labels);
    }
}
