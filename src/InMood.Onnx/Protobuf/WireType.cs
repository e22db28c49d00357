namespace InMood.Onnx.Protobuf;

/// <summary>The protobuf wire types (the low three bits of a field tag).</summary>
internal enum WireType
{
    /// <summary>Base-128 varint: int32, int64, uint64, bool, enum.</summary>
    Varint = 0,

    /// <summary>Eight little-endian bytes: fixed64, double.</summary>
    Fixed64 = 1,

    /// <summary>Varint length followed by that many bytes: string, bytes, message, packed repeated.</summary>
    LengthDelimited = 2,

    /// <summary>Deprecated group start; ONNX never uses it and we reject it.</summary>
    StartGroup = 3,

    /// <summary>Deprecated group end; ONNX never uses it and we reject it.</summary>
    EndGroup = 4,

    /// <summary>Four little-endian bytes: fixed32, float.</summary>
    Fixed32 = 5,
}
