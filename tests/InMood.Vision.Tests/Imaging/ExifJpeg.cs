namespace InMood.Vision.Tests.Imaging;

/// <summary>
/// Adds an EXIF APP1 segment holding only an Orientation tag (0x0112, SHORT) to an encoded JPEG, right after
/// SOI and the JFIF APP0 segment if there is one. Layout: FF E1, length, "Exif\0\0", big-endian TIFF header
/// "MM" 42 with IFD0 at offset 8, one IFD entry, next-IFD offset 0.
/// </summary>
internal static class ExifJpeg
{
    public static byte[] WithOrientation(byte[] jpeg, int orientation)
    {
        byte[] segment =
        [
            0xFF, 0xE1, 0x00, 34,
            (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0,
            (byte)'M', (byte)'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08,
            0x00, 0x01,
            0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, (byte)orientation, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00,
        ];
        int insertAt = 2;
        if (jpeg[2] == 0xFF && jpeg[3] == 0xE0)
        {
            insertAt = 4 + (jpeg[4] << 8 | jpeg[5]);
        }

        return [.. jpeg.AsSpan(0, insertAt), .. segment, .. jpeg.AsSpan(insertAt)];
    }
}
