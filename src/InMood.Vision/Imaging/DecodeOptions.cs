namespace InMood.Vision.Imaging;

/// <summary>Limits and size hints for <see cref="ImageDecoder"/>.</summary>
public sealed record DecodeOptions
{
    /// <summary>100 megapixels.</summary>
    public const long DefaultMaxPixels = 100_000_000;

    public static DecodeOptions Default { get; } = new();

    /// <summary>
    /// Largest width x height the header may declare; larger images are refused with "too_large" before any
    /// pixel is decoded (a defence against decompression bombs: a few KB of PNG can declare 50000x50000).
    /// </summary>
    public long MaxPixels { get; init; } = DefaultMaxPixels;

    /// <summary>
    /// When set, the decoded image's longer side is at most this many pixels (aspect ratio kept, never enlarged).
    /// JPEG and WebP are decoded directly at a reduced size by the codec, so a 12-megapixel photo never
    /// exists at full size in memory; other formats are decoded whole, then shrunk.
    /// </summary>
    public int? MaxLongSide { get; init; }

    /// <summary>
    /// How far past <see cref="MaxLongSide"/> (a fraction of it) a codec's native reduced size may reach and still be
    /// kept as decoded, with no final shrink: for a caller that only needs about that size, resampling 775 px down to
    /// 640 costs more than the detail it removes. 0 (the default) always shrinks to at most MaxLongSide.
    /// </summary>
    public double LongSideTolerance { get; init; }
}
