namespace InMood.Vision.Imaging;

/// <summary>Recognises the leading bytes of the supported formats, to tell a cut-off image from a non-image.</summary>
internal static class ImageSignature
{
    /// <summary>True when data starts like a JPEG, PNG, GIF, BMP or WebP file (as far as data goes).</summary>
    public static bool LooksLikeImage(ReadOnlySpan<byte> data)
    {
        return StartsWith(data, [0xFF, 0xD8, 0xFF])
            || StartsWith(data, [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])
            || StartsWith(data, "GIF8"u8)
            || StartsWith(data, "BM"u8)
            || (StartsWith(data, "RIFF"u8) && (data.Length <= 8 || StartsWith(data[8..], "WEBP"u8)));
    }

    /// <summary>True when data is a prefix of signature or starts with it.</summary>
    private static bool StartsWith(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        int length = Math.Min(data.Length, signature.Length);
        return data[..length].SequenceEqual(signature[..length]);
    }
}
