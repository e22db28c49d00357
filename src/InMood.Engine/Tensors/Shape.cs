namespace InMood.Engine.Tensors;

/// <summary>The per-sample shape of an activation, (channels, height, width); a vector of n features is (n, 1, 1).</summary>
public readonly record struct Shape(int Channels, int Height, int Width)
{
    /// <summary>The most elements one sample's activation may hold: 2^28 (1 GiB of floats).</summary>
    public const int MaxSize = 1 << 28;

    /// <summary>Elements per sample: C x H x W.</summary>
    public int Size => Channels * Height * Width;

    /// <summary>Elements per channel plane: H x W.</summary>
    public int Plane => Height * Width;

    public override string ToString() => $"{Channels}x{Height}x{Width}";

    /// <summary>Parses "CxHxW" (as written by <see cref="ToString"/>).</summary>
    public static Shape Parse(string text)
    {
        string[] parts = text.Split('x');
        if (parts.Length != 3 || !int.TryParse(parts[0], out int c) || !int.TryParse(parts[1], out int h) || !int.TryParse(parts[2], out int w)
            || c <= 0 || h <= 0 || w <= 0)
        {
            throw new FormatException($"Shape '{text}' is not CxHxW with positive integers.");
        }

        if ((long)c * h * w > MaxSize)
        {
            throw new FormatException($"Shape '{text}' holds more than {MaxSize:N0} values.");
        }

        return new Shape(c, h, w);
    }
}
