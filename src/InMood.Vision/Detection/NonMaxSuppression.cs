namespace InMood.Vision.Detection;

/// <summary>
/// Overlap suppression for detections sorted by score. Plain NMS keeps the best box of each overlapping
/// group; weighted NMS (MediaPipe's "blending") replaces it with the score-weighted mean of the group's
/// boxes and key points, which is steadier than any single anchor's box.
/// </summary>
public static class NonMaxSuppression
{
    /// <summary>Keeps the highest-scoring detection of every group whose IoU with it exceeds <paramref name="iouThreshold"/>.</summary>
    public static List<FaceDetection> Plain(IEnumerable<FaceDetection> detections, float iouThreshold)
    {
        var kept = new List<FaceDetection>();
        foreach (FaceDetection candidate in detections.OrderByDescending(d => d.Score))
        {
            if (kept.All(k => k.Box.IntersectionOverUnion(candidate.Box) <= iouThreshold))
            {
                kept.Add(candidate);
            }
        }

        return kept;
    }

    /// <summary>
    /// For the best remaining detection, takes every remaining one with IoU above <paramref name="iouThreshold"/>
    /// (itself included) and outputs their score-weighted mean box and key points with the best score.
    /// </summary>
    public static List<FaceDetection> Weighted(IEnumerable<FaceDetection> detections, float iouThreshold)
    {
        var remaining = detections.OrderByDescending(d => d.Score).ToList();
        var result = new List<FaceDetection>();
        while (remaining.Count > 0)
        {
            FaceDetection best = remaining[0];
            List<FaceDetection> group = [.. remaining.Where(d => d == best || best.Box.IntersectionOverUnion(d.Box) > iouThreshold)];
            remaining.RemoveAll(group.Contains);
            float total = group.Sum(d => d.Score);
            float Mean(Func<FaceDetection, float> value) => group.Sum(d => value(d) * d.Score) / total;
            var box = new FaceBox(Mean(d => d.Box.Left), Mean(d => d.Box.Top), Mean(d => d.Box.Right), Mean(d => d.Box.Bottom));
            FacePoint[] points = [.. Enumerable.Range(0, best.KeyPoints.Count).Select(k => new FacePoint(Mean(d => d.KeyPoints[k].X), Mean(d => d.KeyPoints[k].Y)))];
            result.Add(new FaceDetection(box, best.Score, points));
        }

        return result;
    }
}
