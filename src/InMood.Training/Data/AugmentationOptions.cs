namespace InMood.Training.Data;

/// <summary>
/// Ranges of the random training transforms applied by <see cref="FerAugmenter"/>. Every draw is uniform in its
/// range; a zero range switches that transform off (see <see cref="None"/>).
/// </summary>
public sealed record AugmentationOptions
{
    /// <summary>Common FER2013 settings: shift 4 px, flip half the time, +-10 degrees, scale 0.9-1.1, light jitter, cutout a quarter of the time.</summary>
    public static AugmentationOptions Default { get; } = new();

    /// <summary>Every transform off: the output is the image / 255.</summary>
    public static AugmentationOptions None { get; } = new()
    {
        MaxShift = 0,
        FlipProbability = 0f,
        MaxRotationDegrees = 0f,
        MinScale = 1f,
        MaxScale = 1f,
        MaxBrightness = 0f,
        MaxContrast = 0f,
        EraseProbability = 0f,
    };

    /// <summary>Translation in whole pixels on each axis, drawn in [-MaxShift, MaxShift] (as padding then cropping 48 x 48).</summary>
    public int MaxShift { get; init; } = 4;

    /// <summary>Chance of a horizontal mirror.</summary>
    public float FlipProbability { get; init; } = 0.5f;

    /// <summary>Rotation about the centre, drawn in [-MaxRotationDegrees, MaxRotationDegrees].</summary>
    public float MaxRotationDegrees { get; init; } = 10f;

    /// <summary>Zoom about the centre, drawn in [MinScale, MaxScale]; above 1 enlarges the face.</summary>
    public float MinScale { get; init; } = 0.9f;

    public float MaxScale { get; init; } = 1.1f;

    /// <summary>Added brightness as a fraction of full scale, drawn in [-MaxBrightness, MaxBrightness].</summary>
    public float MaxBrightness { get; init; } = 0.1f;

    /// <summary>Contrast factor about the image mean, drawn in [1 - MaxContrast, 1 + MaxContrast].</summary>
    public float MaxContrast { get; init; } = 0.2f;

    /// <summary>Chance of random erasing (cutout): one rectangle filled with a random grey.</summary>
    public float EraseProbability { get; init; } = 0.25f;

    /// <summary>Erased area as a fraction of the image, drawn in [MinEraseArea, MaxEraseArea]; aspect ratio 1/3 to 3.</summary>
    public float MinEraseArea { get; init; } = 0.02f;

    public float MaxEraseArea { get; init; } = 0.15f;
}
