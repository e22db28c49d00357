using InMood.Music;

namespace InMood.Cli.Classification;

/// <summary>
/// Everything classify reports for one input: its size (full-size, as displayed; 0 when it failed), its faces,
/// the emotion of its largest face (null without faces), the playlist for the faces' mood (null without faces)
/// and the error that stopped it (null on success).
/// </summary>
internal sealed record ImageResult(
    ClassifyInput Input,
    int Width,
    int Height,
    IReadOnlyList<FaceResult> Faces,
    Emotion? Emotion,
    Playlist? Playlist,
    ClassifyError? Error);
