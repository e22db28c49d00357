using System.Buffers.Binary;
using System.Text;

namespace InMood.Onnx.Protobuf;

/// <summary>
/// Reads the protobuf wire format from one message's bytes, field by field, and fails with an
/// <see cref="InvalidDataException"/> that names the message (<see cref="Context"/>), the problem
/// and the absolute byte offset.
/// </summary>
/// <remarks>
/// Why our own reader instead of Google.Protobuf: ONNX needs about a dozen small messages and no
/// other protobuf feature; generated Google.Protobuf code is not trimming/AOT friendly without
/// care, it would be our only third-party runtime dependency, and its errors
/// ("Protocol message contained an invalid tag") do not say which node or tensor is broken.
/// Owning the ~300 lines lets every length field be checked against the bytes that remain
/// before anything is allocated, caps nesting depth, and words each error for the model author.
/// </remarks>
internal ref struct ProtoReader
{
    /// <summary>Deepest message nesting accepted; ONNX's own schema needs 7 (model..dim).</summary>
    public const int MaxDepth = 32;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _buffer;
    private readonly long _origin;
    private int _position;

    /// <summary>Starts reading a top-level message that fills <paramref name="buffer"/>.</summary>
    public ProtoReader(ReadOnlySpan<byte> buffer, string context)
        : this(buffer, 0, 0, context)
    {
    }

    private ProtoReader(ReadOnlySpan<byte> buffer, long origin, int depth, string context)
    {
        _buffer = buffer;
        _origin = origin;
        _position = 0;
        Depth = depth;
        Context = context;
    }

    /// <summary>Where this message sits in the model, e.g. <c>graph.node[3]</c>; used in errors.</summary>
    public string Context { get; }

    /// <summary>Nesting depth: 0 for the top-level message.</summary>
    public int Depth { get; }

    /// <summary>Absolute offset of the next byte in the outermost buffer.</summary>
    public readonly long Offset => _origin + _position;

    /// <summary>Bytes not yet read in this message.</summary>
    public readonly int Remaining => _buffer.Length - _position;

    /// <summary>Reads the next field tag; returns false at the end of the message.</summary>
    public bool TryReadTag(out int fieldNumber, out WireType wireType)
    {
        if (_position >= _buffer.Length)
        {
            fieldNumber = 0;
            wireType = WireType.Varint;
            return false;
        }

        long start = Offset;
        ulong tag = ReadVarint();
        if (tag > uint.MaxValue)
        {
            throw Fail($"field tag {tag} at byte {start} does not fit in 32 bits");
        }

        fieldNumber = (int)(tag >> 3);
        wireType = (WireType)(tag & 7);
        if (fieldNumber == 0)
        {
            throw Fail($"field number 0 at byte {start} is not valid (field numbers start at 1)");
        }

        if ((int)wireType > (int)WireType.Fixed32)
        {
            throw Fail($"field {fieldNumber} at byte {start} has wire type {(int)wireType}; valid wire types are 0, 1, 2 and 5");
        }

        return true;
    }

    /// <summary>Reads a base-128 varint of at most 10 bytes; rejects truncation and values above 2^64-1.</summary>
    public ulong ReadVarint()
    {
        long start = Offset;
        ulong result = 0;
        for (int i = 0; i < 10; i++)
        {
            if (_position >= _buffer.Length)
            {
                throw Fail($"varint at byte {start} is truncated after {i} bytes");
            }

            byte b = _buffer[_position++];
            if (i == 9 && b > 1)
            {
                // NOTE: the tenth byte carries only bit 63; anything more overflows 64 bits.
                throw Fail($"varint at byte {start} overflows 64 bits");
            }

            result |= (ulong)(b & 0x7F) << (7 * i);
            if (b < 0x80)
            {
                return result;
            }
        }

        throw Fail($"varint at byte {start} is longer than 10 bytes");
    }

    /// <summary>Reads a varint as protobuf int64 (two's complement, no zig-zag).</summary>
    public long ReadInt64() => unchecked((long)ReadVarint());

    /// <summary>Reads a varint as protobuf int32; negative values arrive sign-extended to 64 bits.</summary>
    public int ReadInt32(string fieldName)
    {
        long value = ReadInt64();
        if (value < int.MinValue || value > int.MaxValue)
        {
            throw Fail($"{fieldName} = {value} does not fit in int32");
        }

        return (int)value;
    }

    /// <summary>Reads four little-endian bytes.</summary>
    public uint ReadFixed32()
    {
        if (Remaining < 4)
        {
            throw Fail($"fixed32 at byte {Offset} needs 4 bytes but only {Remaining} remain");
        }

        uint value = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.Slice(_position, 4));
        _position += 4;
        return value;
    }

    /// <summary>Reads eight little-endian bytes.</summary>
    public ulong ReadFixed64()
    {
        if (Remaining < 8)
        {
            throw Fail($"fixed64 at byte {Offset} needs 8 bytes but only {Remaining} remain");
        }

        ulong value = BinaryPrimitives.ReadUInt64LittleEndian(_buffer.Slice(_position, 8));
        _position += 8;
        return value;
    }

    /// <summary>Reads an IEEE 754 single from four little-endian bytes.</summary>
    public float ReadFloat() => BitConverter.UInt32BitsToSingle(ReadFixed32());

    /// <summary>Reads a varint length and returns that many bytes, checked against the bytes that remain.</summary>
    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        long start = Offset;
        ulong length = ReadVarint();
        if (length > (ulong)Remaining)
        {
            throw Fail($"length {length} at byte {start} exceeds the {Remaining} bytes left in the message");
        }

        ReadOnlySpan<byte> slice = _buffer.Slice(_position, (int)length);
        _position += (int)length;
        return slice;
    }

    /// <summary>Reads a length-delimited field as strict UTF-8 text.</summary>
    public string ReadString(string fieldName)
    {
        long start = Offset;
        ReadOnlySpan<byte> bytes = ReadLengthDelimited();
        try
        {
            return s_strictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Fail($"{fieldName} at byte {start} is not valid UTF-8");
        }
    }

    /// <summary>Reads a length-delimited field as a nested message reader, one level deeper.</summary>
    public ProtoReader ReadMessage(string childContext)
    {
        if (Depth + 1 > MaxDepth)
        {
            throw Fail($"messages nest deeper than {MaxDepth} levels");
        }

        ReadOnlySpan<byte> body = ReadLengthDelimited();
        long origin = Offset - body.Length;
        return new ProtoReader(body, origin, Depth + 1, childContext);
    }

    /// <summary>Skips a field this reader does not know; groups are rejected.</summary>
    public void SkipField(int fieldNumber, WireType wireType)
    {
        switch (wireType)
        {
            case WireType.Varint:
                ReadVarint();
                break;
            case WireType.Fixed64:
                ReadFixed64();
                break;
            case WireType.LengthDelimited:
                ReadLengthDelimited();
                break;
            case WireType.Fixed32:
                ReadFixed32();
                break;
            default:
                throw Fail($"field {fieldNumber} uses protobuf groups (wire type {(int)wireType}), which ONNX never writes and we do not read");
        }
    }

    /// <summary>Throws unless <paramref name="actual"/> is the wire type the schema gives the field.</summary>
    public readonly void Expect(string fieldName, int fieldNumber, WireType actual, WireType expected)
    {
        if (actual != expected)
        {
            throw Fail($"{fieldName} (field {fieldNumber}) has wire type {(int)actual}; expected {(int)expected} ({expected})");
        }
    }

    /// <summary>Reads one occurrence of a repeated float field, packed (wire type 2) or not (wire type 5).</summary>
    public void ReadRepeatedFloat(string fieldName, int fieldNumber, WireType wireType, List<float> values)
    {
        if (wireType == WireType.Fixed32)
        {
            values.Add(ReadFloat());
            return;
        }

        Expect(fieldName, fieldNumber, wireType, WireType.LengthDelimited);
        long start = Offset;
        ReadOnlySpan<byte> packed = ReadLengthDelimited();
        if (packed.Length % 4 != 0)
        {
            throw Fail($"packed {fieldName} at byte {start} has {packed.Length} bytes, not a multiple of 4");
        }

        values.EnsureCapacity(values.Count + (packed.Length / 4));
        for (int i = 0; i < packed.Length; i += 4)
        {
            values.Add(BinaryPrimitives.ReadSingleLittleEndian(packed.Slice(i, 4)));
        }
    }

    /// <summary>Reads one occurrence of a repeated int64 field, packed (wire type 2) or not (wire type 0).</summary>
    public void ReadRepeatedInt64(string fieldName, int fieldNumber, WireType wireType, List<long> values)
    {
        if (wireType == WireType.Varint)
        {
            values.Add(ReadInt64());
            return;
        }

        Expect(fieldName, fieldNumber, wireType, WireType.LengthDelimited);
        ProtoReader packed = ReadMessage(Context);
        while (packed.Remaining > 0)
        {
            values.Add(packed.ReadInt64());
        }
    }

    /// <summary>Reads one occurrence of a repeated int32 field, packed (wire type 2) or not (wire type 0).</summary>
    public void ReadRepeatedInt32(string fieldName, int fieldNumber, WireType wireType, List<int> values)
    {
        if (wireType == WireType.Varint)
        {
            values.Add(ReadInt32(fieldName));
            return;
        }

        Expect(fieldName, fieldNumber, wireType, WireType.LengthDelimited);
        ProtoReader packed = ReadMessage(Context);
        while (packed.Remaining > 0)
        {
            values.Add(packed.ReadInt32(fieldName));
        }
    }

    /// <summary>Builds the exception for a problem in this message.</summary>
    public readonly InvalidDataException Fail(string problem) => new($"{Context}: {problem}.");
}
