using InMood.Engine.Formats;

namespace InMood.Vision.Imaging;

/// <summary>
/// Reads an encoded image, from a file or a stream (stdin, a pipe), into memory, and stops early on what cannot be
/// one: past <c>maxBytes</c> ("too_large"), and, for input whose size is not known up front, as soon as its first
/// bytes are not a JPEG, PNG, GIF, BMP or WebP signature ("not_an_image"). So <c>/dev/zero</c> or a binary piped in
/// by mistake costs a few bytes, not memory until the runtime refuses a larger array.
/// </summary>
public static class EncodedImageReader
{
    /// <summary>Bytes that tell every supported signature apart ("RIFF", 4 size bytes, "WEBP" is the longest).</summary>
    private const int SignatureLength = 12;

    /// <summary>Bytes asked of a stream of unknown length at a time; the signature is checked after the first read.</summary>
    private const int ChunkBytes = 1 << 16;

    /// <summary>
    /// The byte limit that goes with a pixel limit: 9 bytes a pixel (16-bit RGBA stored without compression is 8, and
    /// the format's framing less than one more) and 1 MiB of headers and metadata, at most the largest array .NET
    /// allows (about 2 GB).
    /// </summary>
    public static long MaxBytesFor(long maxPixels) =>
        maxPixels >= (Array.MaxLength - (1L << 20)) / 9 ? Array.MaxLength : (9 * Math.Max(maxPixels, 0)) + (1L << 20);

    /// <summary>Reads a file; a missing, folder or unreadable path throws with code "unreadable".</summary>
    public static byte[] ReadFile(string path, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
            return Read(stream, path, maxBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ImageDecodeException(ImageDecodeError.Unreadable, $"{path}: cannot read the file ({InputFile.WhyUnreadable(path, e)})", e);
        }
    }

    /// <summary>
    /// Reads <paramref name="stream"/> to its end. A seekable stream longer than <paramref name="maxBytes"/> is refused
    /// before any byte is read, and one within it is read in one piece of its length (what a file grows by while it is
    /// read is not taken, as with File.ReadAllBytes); one of length 0 (a device such as /dev/zero) is read like a pipe.
    /// </summary>
    public static byte[] Read(Stream stream, string name, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        long known = stream.CanSeek ? stream.Length - stream.Position : 0;
        if (known > maxBytes)
        {
            throw TooLarge(name, maxBytes);
        }

        if (known > 0)
        {
            byte[] whole = new byte[known];
            int filled = stream.ReadAtLeast(whole, whole.Length, throwOnEndOfStream: false);
            return filled == whole.Length ? whole : whole[..filled];
        }

        using var bytes = new MemoryStream();
        byte[] chunk = new byte[ChunkBytes];
        bool signatureChecked = false;
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (bytes.Length + read > maxBytes)
            {
                throw TooLarge(name, maxBytes);
            }

            bytes.Write(chunk, 0, read);
            if (!signatureChecked && bytes.Length >= SignatureLength)
            {
                if (!ImageSignature.LooksLikeImage(bytes.GetBuffer().AsSpan(0, SignatureLength)))
                {
                    throw new ImageDecodeException(ImageDecodeError.NotAnImage, $"{name}: not an image, it does not start like JPEG, PNG, BMP, GIF or WebP");
                }

                signatureChecked = true;
            }
        }

        return bytes.ToArray();
    }

    private static ImageDecodeException TooLarge(string name, long maxBytes) => new(
        ImageDecodeError.TooLarge, $"{name}: more than {maxBytes} bytes, larger than any image within the pixel limit");
}
