namespace InMood.Vision.Imaging;

/// <summary>An axis-aligned rectangle in pixel coordinates: columns [X, X + Width), rows [Y, Y + Height).</summary>
public readonly record struct PixelRect(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;

    public int Bottom => Y + Height;

    /// <summary>
    /// Grows the rectangle by <paramref name="fraction"/> of its width on the left and on the right, and of its
    /// height on the top and on the bottom (0.2 turns a 100x100 box into 140x140 around the same centre).
    /// The result may extend past the image; <see cref="ImageCropper"/> pads such crops.
    /// </summary>
    public PixelRect Inflate(float fraction)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fraction);
        int dx = (int)MathF.Round(Width * fraction);
        int dy = (int)MathF.Round(Height * fraction);
        return new PixelRect(X - dx, Y - dy, Width + 2 * dx, Height + 2 * dy);
    }
}
