namespace InMood.Vision.Detection;

/// <summary>
/// Turns BlazeFace's raw outputs into candidate faces in [0, 1] input coordinates.
/// Shapes: scores [896] (logits, anchors in <see cref="BlazeFaceAnchors"/> order), boxes [896, 16]:
/// per anchor dx, dy, w, h, then six key points (x, y), all in input pixels relative to the anchor centre:
/// centre = anchor + (dx, dy) / S, size = (w, h) / S, key point k = anchor + raw[4 + 2k .. 5 + 2k] / S.
/// </summary>
public static class BlazeFaceDecoder
{
    public const int ValuesPerAnchor = 16;

    /// <summary>Candidates whose sigmoid score is at least <paramref name="scoreThreshold"/>, in anchor order.</summary>
    public static List<FaceDetection> Decode(ReadOnlySpan<float> scores, ReadOnlySpan<float> boxes, int inputSize, float scoreThreshold)
    {
        if (scores.Length != BlazeFaceAnchors.Count || boxes.Length != BlazeFaceAnchors.Count * ValuesPerAnchor)
        {
            throw new ArgumentException($"BlazeFace outputs need {BlazeFaceAnchors.Count} scores and {BlazeFaceAnchors.Count * ValuesPerAnchor} box values; got {scores.Length} and {boxes.Length}.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        var detections = new List<FaceDetection>();
        float scale = 1f / inputSize;
        for (int a = 0; a < BlazeFaceAnchors.Count; a++)
        {
            // NOTE: the logit is clipped to +-100 as MediaPipe does, so exp cannot overflow.
            float score = 1f / (1f + MathF.Exp(-Math.Clamp(scores[a], -100f, 100f)));
            if (score < scoreThreshold)
            {
                continue;
            }

            FacePoint anchor = BlazeFaceAnchors.Centers[a];
            ReadOnlySpan<float> raw = boxes.Slice(a * ValuesPerAnchor, ValuesPerAnchor);
            float cx = anchor.X + (raw[0] * scale), cy = anchor.Y + (raw[1] * scale);
            float halfWidth = raw[2] * scale / 2f, halfHeight = raw[3] * scale / 2f;
            var points = new FacePoint[6];
            for (int k = 0; k < points.Length; k++)
            {
                points[k] = new FacePoint(anchor.X + (raw[4 + (2 * k)] * scale), anchor.Y + (raw[5 + (2 * k)] * scale));
            }

            detections.Add(new FaceDetection(new FaceBox(cx - halfWidth, cy - halfHeight, cx + halfWidth, cy + halfHeight), score, points));
        }

        return detections;
    }
}
