using InMood.Training.Data;
using SkiaSharp;

namespace InMood.Training.Tests.Data;

/// <summary>Temporary folders of tiny FER-style images and CSV files written by the tests themselves.</summary>
internal sealed class FerTestData : IDisposable
{
    public FerTestData()
    {
        Root = Path.Combine(Path.GetTempPath(), $"inmood-fer-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>A 48 x 48 (or size x size) grey image whose every pixel is value, encoded as PNG or JPEG.</summary>
    public static byte[] EncodeGray(byte value, SKEncodedImageFormat format, int size = FerDataset.Side)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Gray8, SKAlphaType.Opaque));
        bitmap.GetPixelSpan().Fill(value);
        using SKData data = bitmap.Encode(format, 100);
        return data.ToArray();
    }

    /// <summary>A dataset of <paramref name="count"/> images of uniform random noise drawn from <paramref name="seed"/>, labelled 0-6 in turn.</summary>
    public static FerDataset Noise(int count, int seed)
    {
        byte[] pixels = new byte[count * FerDataset.ImageSize];
        new Random(seed).NextBytes(pixels);
        return new FerDataset(pixels, [.. Enumerable.Range(0, count).Select(i => (byte)(i % FerClasses.Count))]);
    }

    public string WriteFile(string relativePath, byte[] bytes)
    {
        string path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public string WriteText(string relativePath, string text)
    {
        string path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>A CSV row: label, 2304 copies of value (or count values), usage.</summary>
    public static string Row(int label, int value, string usage, int count = FerDataset.ImageSize)
    {
        return $"{label},{string.Join(' ', Enumerable.Repeat(value, count))},{usage}";
    }

    public void Dispose()
    {
        Directory.Delete(Root, recursive: true);
    }
}
