namespace InMood.Music;

/// <summary>
/// Turns classifier probabilities into a mood: the probability-weighted mean of the seven emotions'
/// coordinates (not the top label), and for several faces the area-weighted mean of the face moods.
/// </summary>
public static class MoodMapper
{
    /// <summary>
    /// Mood of one face. Shape: probabilities [7] in <see cref="Emotion"/> order. Weights are
    /// normalised by their sum, so softmax output and raw non-negative scores both work.
    /// </summary>
    public static Mood FromProbabilities(ReadOnlySpan<float> probabilities)
    {
        if (probabilities.Length != Emotions.Count)
        {
            throw new ArgumentException($"probabilities: expected {Emotions.Count} values (one per emotion), got {probabilities.Length}", nameof(probabilities));
        }

        float sum = 0f;
        float valence = 0f;
        float arousal = 0f;
        for (int i = 0; i < Emotions.Count; i++)
        {
            float p = probabilities[i];
            if (!float.IsFinite(p) || p < 0f)
            {
                throw new ArgumentException($"probabilities[{i}] ({Emotions.Names[i]}): expected a finite value >= 0, got {p}", nameof(probabilities));
            }

            Mood coordinates = EmotionCoordinates.Of((Emotion)i);
            sum += p;
            valence += p * coordinates.Valence;
            arousal += p * coordinates.Arousal;
        }

        if (sum <= 0f)
        {
            throw new ArgumentException("probabilities: all zero, no emotion to weight", nameof(probabilities));
        }

        return new Mood(valence / sum, arousal / sum);
    }

    /// <summary>
    /// Mood of an image with several faces: each face's mood weighted by its area.
    /// Shapes: probabilities [faces, 7] row-major, areas [faces] (pixels or any consistent unit, > 0).
    /// </summary>
    public static Mood FromFaces(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> areas)
    {
        int faces = areas.Length;
        if (faces == 0)
        {
            throw new ArgumentException("areas: no faces to combine", nameof(areas));
        }

        if (probabilities.Length != faces * Emotions.Count)
        {
            throw new ArgumentException($"probabilities: expected {faces} x {Emotions.Count} = {faces * Emotions.Count} values for {faces} faces, got {probabilities.Length}", nameof(probabilities));
        }

        float totalArea = 0f;
        float valence = 0f;
        float arousal = 0f;
        for (int f = 0; f < faces; f++)
        {
            float area = areas[f];
            if (!float.IsFinite(area) || area <= 0f)
            {
                throw new ArgumentException($"areas[{f}]: expected a finite area > 0, got {area}", nameof(areas));
            }

            Mood face = FromProbabilities(probabilities.Slice(f * Emotions.Count, Emotions.Count));
            totalArea += area;
            valence += area * face.Valence;
            arousal += area * face.Arousal;
        }

        return new Mood(valence / totalArea, arousal / totalArea);
    }
}
