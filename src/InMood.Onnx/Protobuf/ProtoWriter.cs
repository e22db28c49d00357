using System.Buffers.Binary;
using System.Text;

namespace InMood.Onnx.Protobuf;

/// <summary>
/// Writes the protobuf wire format into a growing buffer. Nested messages are written into their
/// own <see cref="ProtoWriter"/> first and then copied in with their length; ONNX nests only a
/// few levels, so the copies cost less than a size pre-pass would in code.
/// </summary>
internal sealed class ProtoWriter
{
    private byte[] _buffer = new byte[256];
    private int _length;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    /// <summary>Copies the bytes written so far into a new array.</summary>
    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>Writes a field tag.</summary>
    public void WriteTag(int fieldNumber, WireType wireType)
    {
        WriteVarint(((ulong)(uint)fieldNumber << 3) | (uint)wireType);
    }

    /// <summary>Writes a base-128 varint (1 to 10 bytes).</summary>
    public void WriteVarint(ulong value)
    {
        Span<byte> span = Reserve(10);
        int i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        _length += i;
    }

    /// <summary>Writes an int64 (or sign-extended int32) varint field.</summary>
    public void WriteInt64(int fieldNumber, long value)
    {
        WriteTag(fieldNumber, WireType.Varint);
        WriteVarint(unchecked((ulong)value));
    }

    /// <summary>Writes a float as a fixed32 field.</summary>
    public void WriteFloat(int fieldNumber, float value)
    {
        WriteTag(fieldNumber, WireType.Fixed32);
        BinaryPrimitives.WriteSingleLittleEndian(Reserve(4), value);
        _length += 4;
    }

    /// <summary>Writes a length-delimited field holding <paramref name="bytes"/>.</summary>
    public void WriteBytes(int fieldNumber, ReadOnlySpan<byte> bytes)
    {
        WriteTag(fieldNumber, WireType.LengthDelimited);
        WriteVarint((ulong)bytes.Length);
        bytes.CopyTo(Reserve(bytes.Length));
        _length += bytes.Length;
    }

    /// <summary>Writes a UTF-8 string field (always, even when empty: repeated strings keep their slots).</summary>
    public void WriteString(int fieldNumber, string value)
    {
        WriteBytes(fieldNumber, Encoding.UTF8.GetBytes(value));
    }

    /// <summary>Writes a nested message field from another writer's bytes.</summary>
    public void WriteMessage(int fieldNumber, ProtoWriter message)
    {
        WriteBytes(fieldNumber, message.WrittenSpan);
    }

    /// <summary>Writes a packed repeated float field; nothing when empty.</summary>
    public void WritePackedFloat(int fieldNumber, ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
        {
            return;
        }

        WriteTag(fieldNumber, WireType.LengthDelimited);
        WriteVarint((ulong)values.Length * 4);
        Span<byte> span = Reserve(values.Length * 4);
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(span.Slice(i * 4, 4), values[i]);
        }

        _length += values.Length * 4;
    }

    /// <summary>Writes a packed repeated int64 field; nothing when empty.</summary>
    public void WritePackedInt64(int fieldNumber, ReadOnlySpan<long> values)
    {
        if (values.IsEmpty)
        {
            return;
        }

        var packed = new ProtoWriter();
        foreach (long value in values)
        {
            packed.WriteVarint(unchecked((ulong)value));
        }

        WriteMessage(fieldNumber, packed);
    }

    private Span<byte> Reserve(int count)
    {
        if (_buffer.Length - _length < count)
        {
            int size = Math.Max(_buffer.Length * 2, _length + count);
            Array.Resize(ref _buffer, size);
        }

        return _buffer.AsSpan(_length, count);
    }
}
