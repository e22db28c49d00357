namespace InMood.Vision.Imaging;

/// <summary>
/// Where a source image sits inside a Size x Size letterboxed input: the source was scaled by
/// (ScaleX, ScaleY) (equal up to rounding of the scaled size) and placed at (OffsetX, OffsetY), the rest padded.
/// destination = source * Scale + Offset, in pixels.
/// </summary>
public readonly record struct LetterboxTransform(int SourceWidth, int SourceHeight, int Size, double ScaleX, double ScaleY, int OffsetX, int OffsetY)
{
    /// <summary>Maps a point of the letterboxed input (in its pixels) to source pixels.</summary>
    public (double X, double Y) ToSource(double x, double y) => ((x - OffsetX) / ScaleX, (y - OffsetY) / ScaleY);

    /// <summary>Maps a source pixel point into the letterboxed input.</summary>
    public (double X, double Y) ToDestination(double x, double y) => (x * ScaleX + OffsetX, y * ScaleY + OffsetY);

    /// <summary>
    /// The transform for fitting a width x height source into size x size: scaled by size / max(width, height),
    /// scaled size rounded, centred (the odd pixel of padding goes right or bottom).
    /// </summary>
    public static LetterboxTransform Fit(int width, int height, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        double scale = (double)size / Math.Max(width, height);
        int scaledWidth = Math.Clamp((int)Math.Round(width * scale), 1, size);
        int scaledHeight = Math.Clamp((int)Math.Round(height * scale), 1, size);
        return new LetterboxTransform(
            width,
            height,
            size,
            (double)scaledWidth / width,
            (double)scaledHeight / height,
            (size - scaledWidth) / 2,
            (size - scaledHeight) / 2);
    }

    /// <summary>Width of the source's area inside the letterboxed input.</summary>
    public int ScaledWidth => (int)Math.Round(SourceWidth * ScaleX);

    /// <summary>Height of the source's area inside the letterboxed input.</summary>
    public int ScaledHeight => (int)Math.Round(SourceHeight * ScaleY);
}
