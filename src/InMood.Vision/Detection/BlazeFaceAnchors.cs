namespace InMood.Vision.Detection;

/// <summary>
/// BlazeFace's 896 anchor centres, in [0, 1] input coordinates: a 16 x 16 grid with 2 anchors per cell
/// (512) followed by an 8 x 8 grid with 6 anchors per cell (384), row-major, anchors of a cell adjacent;
/// the centre of cell (cx, cy) of an n x n grid is ((cx + 0.5) / n, (cy + 0.5) / n). The same for 128 and 256 inputs.
/// </summary>
public static class BlazeFaceAnchors
{
    /// <summary>Anchors of the 16 x 16 grid (the model's first score and box outputs).</summary>
    public const int FineCount = 16 * 16 * 2;

    /// <summary>Anchors of the 8 x 8 grid (the second outputs).</summary>
    public const int CoarseCount = 8 * 8 * 6;

    public const int Count = FineCount + CoarseCount;

    /// <summary>The anchor centres in output order.</summary>
    public static IReadOnlyList<FacePoint> Centers { get; } = Build();

    private static FacePoint[] Build()
    {
        var anchors = new FacePoint[Count];
        int index = 0;
        foreach ((int cells, int perCell) in (ReadOnlySpan<(int, int)>)[(16, 2), (8, 6)])
        {
            for (int cy = 0; cy < cells; cy++)
            {
                for (int cx = 0; cx < cells; cx++)
                {
                    for (int a = 0; a < perCell; a++)
                    {
                        anchors[index++] = new FacePoint((cx + 0.5f) / cells, (cy + 0.5f) / cells);
                    }
                }
            }
        }

        return anchors;
    }
}
