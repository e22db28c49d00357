namespace InMood.Music;

/// <summary>
/// A point on Russell's two circumplex axes: valence (unpleasant -1 to pleasant +1) and arousal
/// (calm -1 to excited +1). Emotions, faces, images and catalogue tracks all live on this plane.
/// </summary>
public readonly record struct Mood(float Valence, float Arousal)
{
    /// <summary>Euclidean distance between two moods.</summary>
    public float DistanceTo(Mood other)
    {
        float dv = Valence - other.Valence;
        float da = Arousal - other.Arousal;
        return MathF.Sqrt((dv * dv) + (da * da));
    }

    /// <summary>The mood a fraction <paramref name="t"/> of the way from this mood to <paramref name="target"/>.</summary>
    public Mood Lerp(Mood target, float t) =>
        new(Valence + ((target.Valence - Valence) * t), Arousal + ((target.Arousal - Arousal) * t));

    /// <summary>True when both coordinates are finite and inside [-1, 1].</summary>
    public bool IsInRange =>
        float.IsFinite(Valence) && float.IsFinite(Arousal) &&
        Valence is >= -1f and <= 1f && Arousal is >= -1f and <= 1f;
}
