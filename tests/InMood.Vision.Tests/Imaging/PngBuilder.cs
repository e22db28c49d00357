using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace InMood.Vision.Tests.Imaging;

/// <summary>
/// Writes PNG files byte by byte from the specification (signature, IHDR, optional PLTE, one zlib IDAT with
/// filter 0 on every row, IEND), for the colour types SkiaSharp's encoder cannot produce.
/// </summary>
internal static class PngBuilder
{
    public const byte Gray = 0;
    public const byte Rgb = 2;
    public const byte Palette = 3;
    public const byte Rgba = 6;

    /// <summary>rows holds, per row, the raw sample bytes (big-endian for 16-bit) without the filter byte.</summary>
    public static byte[] Build(int width, int height, byte bitDepth, byte colourType, byte[][] rows, byte[]? palette = null)
    {
        using var output = new MemoryStream();
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = bitDepth;
        header[9] = colourType;
        WriteChunk(output, "IHDR", header);
        if (palette is not null)
        {
            WriteChunk(output, "PLTE", palette);
        }

        WriteChunk(output, "IDAT", Compress(rows));
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>A valid PNG header declaring width x height, followed by a tiny IDAT and IEND.</summary>
    public static byte[] DeclaringSize(int width, int height)
    {
        return Build(width, height, 8, Gray, [new byte[1]]);
    }

    private static byte[] Compress(byte[][] rows)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            foreach (byte[] row in rows)
            {
                zlib.WriteByte(0);
                zlib.Write(row);
            }
        }

        return compressed.ToArray();
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        byte[] typeAndData = [.. Encoding.ASCII.GetBytes(type), .. data];
        output.Write(typeAndData);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        output.Write(crc);
    }

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }
}
