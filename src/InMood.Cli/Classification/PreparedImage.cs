using InMood.Vision.Detection;

namespace InMood.Cli.Classification;

/// <summary>
/// An input after decoding, detection and cropping, ready for the emotion model.
/// Shapes: <see cref="Boxes"/> and <see cref="Scores"/> [faces], <see cref="Crops"/> [faces, 1, 48, 48] grey / 255.
/// Boxes are in full-size source pixels as displayed; a null score marks a crop that was not detected
/// (--no-detect, or a small image taken as one face crop).
/// </summary>
internal sealed record PreparedImage(
    ClassifyInput Input,
    int Width,
    int Height,
    IReadOnlyList<FaceBox> Boxes,
    IReadOnlyList<float?> Scores,
    float[] Crops,
    ClassifyError? Error)
{
    public int FaceCount => Boxes.Count;

    public static PreparedImage Failed(ClassifyInput input, ClassifyError error) => new(input, 0, 0, [], [], [], error);
}
