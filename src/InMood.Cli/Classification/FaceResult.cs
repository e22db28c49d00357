using InMood.Music;
using InMood.Vision.Detection;

namespace InMood.Cli.Classification;

/// <summary>
/// One classified face: its box in full-size source pixels as displayed, the detector's score (null when the
/// face was not detected but taken as the whole picture), the top emotion, its probability, and all seven.
/// Shape: <see cref="Probabilities"/> [7] in <see cref="Emotion"/> order, summing to 1.
/// </summary>
internal sealed record FaceResult(FaceBox Box, float? Score, Emotion Emotion, float Confidence, float[] Probabilities);
