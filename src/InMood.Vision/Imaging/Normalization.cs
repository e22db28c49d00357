namespace InMood.Vision.Imaging;

/// <summary>Maps an 8-bit pixel value v to the float v * Scale + Offset.</summary>
public readonly record struct Normalization(float Scale, float Offset)
{
    /// <summary>v / 255: values in [0, 1].</summary>
    public static Normalization ZeroToOne { get; } = new(1f / 255f, 0f);

    /// <summary>v * 2 / 255 - 1: values in [-1, 1] (BlazeFace's input range).</summary>
    public static Normalization MinusOneToOne { get; } = new(2f / 255f, -1f);

    public float Apply(byte value) => value * Scale + Offset;
}
