namespace InMood.Music;

/// <summary>
/// Where each of the seven emotions sits on the valence/arousal plane of Russell's circumplex.
/// </summary>
/// <remarks>
/// Values are the mean ratings of the emotion words themselves (the FER2013 label words "angry",
/// "disgust", "fear", "happy", "sad", "surprise", "neutral") from A. B. Warriner, V. Kuperman and
/// M. Brysbaert, "Norms of valence, arousal, and dominance for 13,915 English lemmas", Behavior
/// Research Methods 45 (2013) 1191-1207, doi:10.3758/s13428-012-0314-x, columns V.Mean.Sum and
/// A.Mean.Sum, on their 1-9 scale:
/// angry 2.53/6.20, disgust 3.32/5.00, fear 2.93/6.14, happy 8.47/6.05, sad 2.10/3.49,
/// surprise 7.44/6.57, neutral 5.50/3.45 (valence/arousal).
/// Each is mapped to [-1, 1] by (rating - 5) / 4, 5 being the scale's midpoint.
/// NOTE: these are measured placements of the words, not a drawing of the circle; "neutral" is
/// mildly pleasant and calm (0.125, -0.39), not the origin. docs: src/InMood.Music/README.md.
/// </remarks>
public static class EmotionCoordinates
{
    private static readonly Mood[] s_coordinates =
    [
        FromRating(2.53f, 6.20f), // angry
        FromRating(3.32f, 5.00f), // disgust
        FromRating(2.93f, 6.14f), // fear
        FromRating(8.47f, 6.05f), // happy
        FromRating(2.10f, 3.49f), // sad
        FromRating(7.44f, 6.57f), // surprise
        FromRating(5.50f, 3.45f), // neutral
    ];

    /// <summary>The valence/arousal coordinates of one emotion.</summary>
    public static Mood Of(Emotion emotion) => s_coordinates[(int)emotion];

    /// <summary>The emotion whose coordinates are nearest to <paramref name="mood"/>.</summary>
    public static Emotion Nearest(Mood mood)
    {
        int best = 0;
        for (int i = 1; i < s_coordinates.Length; i++)
        {
            if (s_coordinates[i].DistanceTo(mood) < s_coordinates[best].DistanceTo(mood))
            {
                best = i;
            }
        }

        return (Emotion)best;
    }

    private static Mood FromRating(float valence, float arousal) => new((valence - 5f) / 4f, (arousal - 5f) / 4f);
}
