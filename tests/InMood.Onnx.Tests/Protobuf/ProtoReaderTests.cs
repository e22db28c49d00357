using InMood.Onnx.Protobuf;

namespace InMood.Onnx.Tests.Protobuf;

public sealed class ProtoReaderTests
{
    public static TheoryData<byte[], ulong> ValidVarints => new()
    {
        { [0x00], 0UL },
        { [0x01], 1UL },
        { [0x7F], 127UL },
        { [0x80, 0x01], 128UL },
        { [0xAC, 0x02], 300UL },
        { [0xFF, 0x7F], 16383UL },
        { [0x80, 0x80, 0x01], 16384UL },
        { [0xFF, 0xFF, 0xFF, 0xFF, 0x0F], uint.MaxValue },
        { [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], long.MaxValue },
        { [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], ulong.MaxValue },
        { [0x80, 0x00], 0UL },
    };

    public static TheoryData<byte[], string> InvalidVarints => new()
    {
        { [], "truncated after 0 bytes" },
        { [0x80], "truncated after 1 bytes" },
        { [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], "truncated after 9 bytes" },
        { [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02], "overflows 64 bits" },
        { [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x81, 0x00], "overflows 64 bits" },
        { [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00], "overflows 64 bits" },
    };

    [Theory]
    [MemberData(nameof(ValidVarints))]
    public void ReadVarint_ValidEncoding_ReturnsValueAndConsumesAllBytes(byte[] bytes, ulong expected)
    {
        var reader = new ProtoReader(bytes, "test");

        ulong value = reader.ReadVarint();

        Assert.Equal(expected, value);
        Assert.Equal(0, reader.Remaining);
    }

    [Theory]
    [MemberData(nameof(InvalidVarints))]
    public void ReadVarint_InvalidEncoding_ThrowsWithReason(byte[] bytes, string reason)
    {
        var exception = Assert.Throws<InvalidDataException>(() => new ProtoReader(bytes, "test").ReadVarint());

        Assert.Contains(reason, exception.Message);
        Assert.StartsWith("test: varint at byte 0", exception.Message);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(127UL)]
    [InlineData(128UL)]
    [InlineData(16384UL)]
    [InlineData(2097151UL)]
    [InlineData(34359738368UL)]
    [InlineData(9223372036854775807UL)]
    [InlineData(18446744073709551615UL)]
    public void WriteVarint_AnyValue_ReadsBackTheSame(ulong value)
    {
        var writer = new ProtoWriter();

        writer.WriteVarint(value);

        var reader = new ProtoReader(writer.WrittenSpan, "test");
        Assert.Equal(value, reader.ReadVarint());
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void ReadInt64_TenByteNegativeOne_ReturnsMinusOne()
    {
        byte[] bytes = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01];

        long value = new ProtoReader(bytes, "test").ReadInt64();

        Assert.Equal(-1L, value);
    }

    [Fact]
    public void ReadInt32_ValueAboveInt32Range_Throws()
    {
        byte[] bytes = [0x80, 0x80, 0x80, 0x80, 0x10];

        var exception = Assert.Throws<InvalidDataException>(() => new ProtoReader(bytes, "test").ReadInt32("data_type"));

        Assert.Contains("data_type = 4294967296 does not fit in int32", exception.Message);
    }

    [Fact]
    public void TryReadTag_FieldNumberZero_Throws()
    {
        byte[] bytes = [0x00, 0x00];

        var exception = Assert.Throws<InvalidDataException>(() => new ProtoReader(bytes, "test").TryReadTag(out _, out _));

        Assert.Contains("field number 0", exception.Message);
    }

    [Theory]
    [InlineData(0x0E)]
    [InlineData(0x0F)]
    public void TryReadTag_WireTypeSixOrSeven_Throws(byte tag)
    {
        byte[] bytes = [tag];

        var exception = Assert.Throws<InvalidDataException>(() => new ProtoReader(bytes, "test").TryReadTag(out _, out _));

        Assert.Contains("valid wire types are 0, 1, 2 and 5", exception.Message);
    }

    [Fact]
    public void TryReadTag_TagAbove32Bits_Throws()
    {
        byte[] bytes = [0x80, 0x80, 0x80, 0x80, 0x80, 0x01];

        var exception = Assert.Throws<InvalidDataException>(() => new ProtoReader(bytes, "test").TryReadTag(out _, out _));

        Assert.Contains("does not fit in 32 bits", exception.Message);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void SkipField_Group_ThrowsNamingGroups(int wireType)
    {
        byte[] bytes = [(byte)((9 << 3) | wireType), 0x00];

        var exception = Assert.Throws<InvalidDataException>(() =>
        {
            var reader = new ProtoReader(bytes, "test");
            reader.TryReadTag(out int field, out WireType wire);
            reader.SkipField(field, wire);
        });

        Assert.Contains("field 9 uses protobuf groups", exception.Message);
    }

    [Fact]
    public void SkipField_EachWireType_SkipsExactlyTheField()
    {
        var writer = new ProtoWriter();
        writer.WriteInt64(1, -5);
        writer.WriteTag(2, WireType.Fixed64);
        writer.WriteVarint(0);
        writer.WriteVarint(0);
        writer.WriteVarint(0);
        writer.WriteVarint(0);
        writer.WriteVarint(0);
        writer.WriteVarint(0);
        writer.WriteVarint(0);
        writer.WriteVarint(0);
        writer.WriteBytes(3, [1, 2, 3]);
        writer.WriteFloat(4, 1.5f);
        writer.WriteInt64(5, 42);
        var reader = new ProtoReader(writer.WrittenSpan, "test");
        int skipped = 0;

        while (reader.TryReadTag(out int field, out WireType wire) && field < 5)
        {
            reader.SkipField(field, wire);
            skipped++;
        }

        Assert.Equal(4, skipped);
        Assert.Equal(42, reader.ReadInt64());
    }

    [Fact]
    public void ReadLengthDelimited_LengthBeyondBuffer_ThrowsWithoutAllocating()
    {
        byte[] bytes = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x3F, 0x01, 0x02];

        var exception = Assert.Throws<InvalidDataException>(() => new ProtoReader(bytes, "test").ReadLengthDelimited());

        Assert.Contains("exceeds the 2 bytes left in the message", exception.Message);
    }

    [Fact]
    public void ReadFixed32_ThreeBytesLeft_Throws()
    {
        byte[] bytes = [1, 2, 3];

        var exception = Assert.Throws<InvalidDataException>(() => new ProtoReader(bytes, "test").ReadFixed32());

        Assert.Contains("needs 4 bytes but only 3 remain", exception.Message);
    }

    [Fact]
    public void ReadFixed64_SevenBytesLeft_Throws()
    {
        byte[] bytes = [1, 2, 3, 4, 5, 6, 7];

        var exception = Assert.Throws<InvalidDataException>(() => new ProtoReader(bytes, "test").ReadFixed64());

        Assert.Contains("needs 8 bytes but only 7 remain", exception.Message);
    }

    [Fact]
    public void ReadRepeatedFloat_PackedThenUnpacked_AppendsBoth()
    {
        var writer = new ProtoWriter();
        writer.WritePackedFloat(7, [1f, 2f]);
        writer.WriteFloat(7, 3f);
        var reader = new ProtoReader(writer.WrittenSpan, "test");
        var values = new List<float>();

        while (reader.TryReadTag(out int field, out WireType wire))
        {
            reader.ReadRepeatedFloat("floats", field, wire, values);
        }

        Assert.Equal(new[] { 1f, 2f, 3f }, values);
    }

    [Fact]
    public void ReadRepeatedFloat_PackedLengthNotMultipleOfFour_Throws()
    {
        var writer = new ProtoWriter();
        writer.WriteBytes(7, [0, 0, 0x80, 0x3F, 0]);

        var exception = Assert.Throws<InvalidDataException>(() =>
        {
            var reader = new ProtoReader(writer.WrittenSpan, "test");
            reader.TryReadTag(out int field, out WireType wire);
            reader.ReadRepeatedFloat("floats", field, wire, []);
        });

        Assert.Contains("packed floats at byte 1 has 5 bytes, not a multiple of 4", exception.Message);
    }

    [Fact]
    public void ReadRepeatedInt64_UnpackedThenPacked_AppendsBothIncludingNegatives()
    {
        var writer = new ProtoWriter();
        writer.WriteInt64(8, -1);
        writer.WritePackedInt64(8, [0, 300, long.MinValue]);
        var reader = new ProtoReader(writer.WrittenSpan, "test");
        var values = new List<long>();

        while (reader.TryReadTag(out int field, out WireType wire))
        {
            reader.ReadRepeatedInt64("ints", field, wire, values);
        }

        Assert.Equal(new[] { -1L, 0L, 300L, long.MinValue }, values);
    }

    [Fact]
    public void ReadRepeatedInt64_PackedWithTruncatedLastVarint_Throws()
    {
        var writer = new ProtoWriter();
        writer.WriteBytes(8, [0x01, 0x80]);

        var exception = Assert.Throws<InvalidDataException>(() =>
        {
            var reader = new ProtoReader(writer.WrittenSpan, "test");
            reader.TryReadTag(out int field, out WireType wire);
            reader.ReadRepeatedInt64("ints", field, wire, []);
        });

        Assert.Contains("varint at byte 3 is truncated", exception.Message);
    }

    [Fact]
    public void ReadRepeatedInt64_Fixed32WireType_ThrowsNamingField()
    {
        var writer = new ProtoWriter();
        writer.WriteFloat(8, 1f);

        var exception = Assert.Throws<InvalidDataException>(() =>
        {
            var reader = new ProtoReader(writer.WrittenSpan, "test");
            reader.TryReadTag(out int field, out WireType wire);
            reader.ReadRepeatedInt64("ints", field, wire, []);
        });

        Assert.Contains("ints (field 8) has wire type 5; expected 2", exception.Message);
    }

    [Fact]
    public void ReadString_InvalidUtf8_Throws()
    {
        byte[] bytes = [0x02, 0xC3, 0x28];

        var exception = Assert.Throws<InvalidDataException>(() => new ProtoReader(bytes, "test").ReadString("name"));

        Assert.Contains("name at byte 0 is not valid UTF-8", exception.Message);
    }

    [Fact]
    public void ReadMessage_NestedDeeperThanMaxDepth_Throws()
    {
        byte[] bytes = [];
        for (int i = 0; i <= ProtoReader.MaxDepth; i++)
        {
            var writer = new ProtoWriter();
            writer.WriteBytes(1, bytes);
            bytes = writer.ToArray();
        }

        var exception = Assert.Throws<InvalidDataException>(() => Descend(new ProtoReader(bytes, "test")));

        Assert.Contains($"messages nest deeper than {ProtoReader.MaxDepth} levels", exception.Message);
    }

    [Fact]
    public void ReadMessage_NestedToMaxDepth_Succeeds()
    {
        byte[] bytes = [];
        for (int i = 0; i < ProtoReader.MaxDepth; i++)
        {
            var writer = new ProtoWriter();
            writer.WriteBytes(1, bytes);
            bytes = writer.ToArray();
        }

        int depth = Descend(new ProtoReader(bytes, "test"));

        Assert.Equal(ProtoReader.MaxDepth, depth);
    }

    private static int Descend(ProtoReader reader)
    {
        int deepest = reader.Depth;
        while (reader.TryReadTag(out _, out _))
        {
            deepest = Math.Max(deepest, Descend(reader.ReadMessage("child")));
        }

        return deepest;
    }
}
