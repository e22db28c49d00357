namespace InMood.Onnx.Compiled;

/// <summary>
/// One planned value of a compiled model: its per-image shape and where it lives. Reshape-like ops
/// share the slot of their input, so one slot can stand for several ONNX values.
/// Shape: the ONNX shape with the leading batch dimension replaced by 1.
/// </summary>
internal sealed class Slot(string name, int[] shape)
{
    public string Name { get; } = name;

    public int[] Shape { get; set; } = shape;

    /// <summary>Elements per image.</summary>
    public int Length => Shape.Aggregate(1, (size, dim) => checked(size * dim));

    /// <summary>The slot whose storage this one shares (Reshape, Flatten and friends), else null.</summary>
    public Slot? Root { get; init; }

    /// <summary>The slot that owns the storage: the root of an alias chain.</summary>
    public Slot Storage => Root?.Storage ?? this;

    public SlotKind Kind { get; set; }

    /// <summary>Output index (Output) or constant index (Constant).</summary>
    public int Index { get; set; }

    /// <summary>Float offset into the worker arena (Arena).</summary>
    public int Offset { get; set; }

    /// <summary>Channels of a rank-4 [1, C, H, W] value.</summary>
    public int Channels => Shape[1];

    /// <summary>Height of a rank-4 value.</summary>
    public int Height => Shape[2];

    /// <summary>Width of a rank-4 value.</summary>
    public int Width => Shape[3];

    public override string ToString() => $"{Name} [{string.Join(", ", Shape)}] {Kind}";
}
