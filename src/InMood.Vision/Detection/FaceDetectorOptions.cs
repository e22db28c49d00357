namespace InMood.Vision.Detection;

/// <summary>
/// Detector settings. The score threshold 0.5 is MediaPipe's own for these models and the low end of the
/// usual 0.5 to 0.75 range: on the test photos (tests/data/photos) the back model scores a downcast face
/// 0.57 and a near-profile one 0.74, so 0.6 loses one face and 0.75 two, while even 0.4 adds no false
/// detection. Overlaps above IoU 0.3 are merged with MediaPipe's weighted blending.
/// </summary>
public sealed record FaceDetectorOptions
{
    public static FaceDetectorOptions Default { get; } = new();

    /// <summary>Minimum sigmoid score, in (0, 1).</summary>
    public float ScoreThreshold { get; init; } = 0.5f;

    /// <summary>Two detections overlapping more than this (intersection over union) are one face.</summary>
    public float IouThreshold { get; init; } = 0.3f;

    /// <summary>True: weighted blending of overlapping boxes (MediaPipe); false: plain NMS.</summary>
    public bool Weighted { get; init; } = true;
}
