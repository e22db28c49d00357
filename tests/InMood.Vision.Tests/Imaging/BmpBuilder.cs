using System.Buffers.Binary;

namespace InMood.Vision.Tests.Imaging;

/// <summary>Writes an uncompressed 24-bit bottom-up BMP (BITMAPINFOHEADER, rows padded to 4 bytes, B, G, R order).</summary>
internal static class BmpBuilder
{
    public static byte[] Build(int width, int height, Func<int, int, (byte R, byte G, byte B)> colour)
    {
        int rowBytes = (width * 3 + 3) / 4 * 4;
        int imageBytes = rowBytes * height;
        var file = new byte[14 + 40 + imageBytes];
        Span<byte> span = file;
        span[0] = (byte)'B';
        span[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(span[2..], file.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[10..], 54);
        BinaryPrimitives.WriteInt32LittleEndian(span[14..], 40);
        BinaryPrimitives.WriteInt32LittleEndian(span[18..], width);
        BinaryPrimitives.WriteInt32LittleEndian(span[22..], height);
        BinaryPrimitives.WriteInt16LittleEndian(span[26..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(span[28..], 24);
        BinaryPrimitives.WriteInt32LittleEndian(span[34..], imageBytes);
        for (int y = 0; y < height; y++)
        {
            int rowStart = 54 + (height - 1 - y) * rowBytes;
            for (int x = 0; x < width; x++)
            {
                (byte r, byte g, byte b) = colour(x, y);
                file[rowStart + 3 * x] = b;
                file[rowStart + 3 * x + 1] = g;
                file[rowStart + 3 * x + 2] = r;
            }
        }

        return file;
    }
}
