namespace InMood.Vision.Tests.Imaging;

/// <summary>
/// Writes a GIF89a with a global colour table of 4 entries and one or more full-size frames of palette indices.
/// The LZW stream uses a minimum code size of 2 (3-bit codes) and sends a clear code before every pair of
/// indices, so the code width never grows: valid LZW, just not compressed.
/// </summary>
internal static class GifBuilder
{
    private const int ClearCode = 4;
    private const int EndCode = 5;

    /// <summary>palette: 4 RGB triples (12 bytes); each frame: width * height indices 0-3, row by row.</summary>
    public static byte[] Build(int width, int height, byte[] palette, params byte[][] frames)
    {
        using var output = new MemoryStream();
        output.Write("GIF89a"u8);
        WriteUInt16(output, width);
        WriteUInt16(output, height);
        output.WriteByte(0b1000_0001);
        output.WriteByte(0);
        output.WriteByte(0);
        output.Write(palette);
        foreach (byte[] frame in frames)
        {
            output.Write([0x21, 0xF9, 4, 0, 10, 0, 0, 0]);
            output.WriteByte(0x2C);
            WriteUInt16(output, 0);
            WriteUInt16(output, 0);
            WriteUInt16(output, width);
            WriteUInt16(output, height);
            output.WriteByte(0);
            output.WriteByte(2);
            WriteSubBlocks(output, Lzw(frame));
        }

        output.WriteByte(0x3B);
        return output.ToArray();
    }

    private static byte[] Lzw(byte[] indices)
    {
        var codes = new List<int>();
        for (int i = 0; i < indices.Length; i++)
        {
            if (i % 2 == 0)
            {
                codes.Add(ClearCode);
            }

            codes.Add(indices[i]);
        }

        codes.Add(EndCode);
        var bytes = new List<byte>();
        int bitBuffer = 0;
        int bitCount = 0;
        foreach (int code in codes)
        {
            bitBuffer |= code << bitCount;
            bitCount += 3;
            while (bitCount >= 8)
            {
                bytes.Add((byte)bitBuffer);
                bitBuffer >>= 8;
                bitCount -= 8;
            }
        }

        if (bitCount > 0)
        {
            bytes.Add((byte)bitBuffer);
        }

        return [.. bytes];
    }

    private static void WriteSubBlocks(Stream output, byte[] data)
    {
        for (int i = 0; i < data.Length; i += 255)
        {
            int count = Math.Min(255, data.Length - i);
            output.WriteByte((byte)count);
            output.Write(data, i, count);
        }

        output.WriteByte(0);
    }

    private static void WriteUInt16(Stream output, int value)
    {
        output.WriteByte((byte)value);
        output.WriteByte((byte)(value >> 8));
    }
}
