namespace InMood.Vision.Detection;

/// <summary>
/// One detected face: its box, its score (sigmoid of the model's logit, in (0, 1)) and six key points
/// indexed by <see cref="FaceKeyPoint"/>, all in the same coordinates as the box.
/// </summary>
public sealed record FaceDetection(FaceBox Box, float Score, IReadOnlyList<FacePoint> KeyPoints)
{
    /// <summary>The key point <paramref name="point"/>.</summary>
    public FacePoint this[FaceKeyPoint point] => KeyPoints[(int)point];
}
