namespace InMood.Engine.Formats;

/// <summary>One F32 tensor of a safetensors file: name, shape and row-major data (length = product of shape).</summary>
public sealed record SafeTensor(string Name, int[] Shape, float[] Data);
