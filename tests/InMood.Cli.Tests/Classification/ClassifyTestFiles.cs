using InMood.Engine.Formats;
using InMood.Engine.Networks;
using SkiaSharp;

namespace InMood.Cli.Tests.Classification;

/// <summary>
/// Files the classify tests run on, made once per test run in a temporary folder: a small random-weight
/// emotion model (no training: the shipped model may not exist yet), bad inputs of every kind, and the
/// one-face photo stored rotated with an EXIF orientation that turns it back upright.
/// </summary>
internal static class ClassifyTestFiles
{
    private static readonly Lazy<string> s_folder = new(Create);

    public static string Folder => s_folder.Value;

    /// <summary>FerVgg with He-normal random weights, folded for inference.</summary>
    public static string Model => Path.Combine(Folder, "random-fer-vgg.safetensors");

    public static string Empty => Path.Combine(Folder, "bad", "empty.jpg");

    public static string Truncated => Path.Combine(Folder, "bad", "truncated.jpg");

    public static string Corrupt => Path.Combine(Folder, "bad", "corrupt.png");

    public static string NotAnImage => Path.Combine(Folder, "bad", "notes.jpg");

    /// <summary>A PNG that declares 20000 x 20000 pixels, 400 megapixels: over the default 100-megapixel cap.</summary>
    public static string Huge => Path.Combine(Folder, "bad", "huge.png");

    public static string Missing => Path.Combine(Folder, "bad", "missing.jpg");

    /// <summary>one-face.jpg stored rotated 90 degrees counter-clockwise with EXIF orientation 6 (rotate 90 clockwise to display).</summary>
    public static string Rotated => Path.Combine(Folder, "rotated-exif6.jpg");

    public static string Photo(string name) => Path.Combine(TestPaths.Photos, name);

    private static string Create()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"inmood-classify-tests-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(folder, "bad"));
        Network network = StandardNetworks.FerVgg();
        Initializer.HeNormal(network, seed: 7);
        NetworkFile.Save(network.FoldForInference(), Path.Combine(folder, "random-fer-vgg.safetensors"));

        byte[] jpeg = File.ReadAllBytes(Photo("one-face.jpg"));
        File.WriteAllBytes(Path.Combine(folder, "bad", "empty.jpg"), []);
        File.WriteAllBytes(Path.Combine(folder, "bad", "truncated.jpg"), jpeg.AsSpan(0, jpeg.Length / 3).ToArray());
        File.WriteAllBytes(Path.Combine(folder, "bad", "notes.jpg"), "these are notes, not a picture\n"u8.ToArray());
        File.WriteAllBytes(Path.Combine(folder, "bad", "corrupt.png"), CorruptPng());
        File.WriteAllBytes(Path.Combine(folder, "bad", "huge.png"), HugePng());
        File.WriteAllBytes(Path.Combine(folder, "rotated-exif6.jpg"), RotatedWithExif(jpeg));
        return folder;
    }

    /// <summary>A 16x16 PNG whose compressed pixel data is overwritten with garbage.</summary>
    private static byte[] CorruptPng()
    {
        using var bitmap = new SKBitmap(16, 16);
        bitmap.Erase(SKColors.CornflowerBlue);
        using SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        byte[] bytes = png.ToArray();
        int idat = bytes.AsSpan().IndexOf("IDAT"u8);
        bytes.AsSpan(idat + 4, 12).Fill(0x5A);
        return bytes;
    }

    /// <summary>A PNG header declaring 20000 x 20000 (400 megapixels) followed by a tiny IDAT: a decompression bomb's shape.</summary>
    private static byte[] HugePng()
    {
        using var bitmap = new SKBitmap(16, 16);
        using SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        byte[] bytes = png.ToArray();

        // NOTE: IHDR's type and data are bytes 12..28 (width and height at 16..23), its CRC at 29..32.
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), 20000);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), 20000);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(29), Crc32(bytes.AsSpan(12, 17)));
        return bytes;
    }

    /// <summary>PNG's CRC-32 (polynomial 0xEDB88320, bit-reversed), bit by bit.</summary>
    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }

    /// <summary>The photo's pixels rotated 90 degrees counter-clockwise, re-encoded, with an APP1 EXIF segment saying orientation 6.</summary>
    private static byte[] RotatedWithExif(byte[] jpeg)
    {
        using SKBitmap upright = SKBitmap.Decode(jpeg);
        using var rotated = new SKBitmap(upright.Height, upright.Width);

        // NOTE: upright (x, y) goes to stored (y, width - 1 - x): a quarter turn counter-clockwise, which
        // orientation 6 (rotate 90 degrees clockwise to display) undoes.
        for (int y = 0; y < upright.Height; y++)
        {
            for (int x = 0; x < upright.Width; x++)
            {
                rotated.SetPixel(y, upright.Width - 1 - x, upright.GetPixel(x, y));
            }
        }

        using SKData encoded = rotated.Encode(SKEncodedImageFormat.Jpeg, 92);
        byte[] body = encoded.ToArray();
        byte[] exif =
        [
            0xFF, 0xE1, 0x00, 0x22, (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0,
            (byte)'M', (byte)'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08,
            0x00, 0x01,
            0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00,
        ];
        return [.. body.AsSpan(0, 2), .. exif, .. body.AsSpan(2)];
    }
}
