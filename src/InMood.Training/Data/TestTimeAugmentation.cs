namespace InMood.Training.Data;

/// <summary>
/// Deterministic evaluation views of a 48 x 48 grey face, for averaging a model's predictions over them.
/// Values are pixel / 255, as in training.
/// </summary>
public static class TestTimeAugmentation
{
    /// <summary>The usual ten-crop padding: 4 pixels on each side.</summary>
    public const int DefaultShift = 4;

    private const int Side = FerDataset.Side;

    /// <summary>The number of views K that <see cref="WriteViews"/> writes.</summary>
    public static int ViewCount(TestTimeViews views) => views switch
    {
        TestTimeViews.Identity => 1,
        TestTimeViews.IdentityAndFlip => 2,
        TestTimeViews.TenCrop => 10,
        _ => throw new ArgumentOutOfRangeException(nameof(views), views, "unknown test-time views"),
    };

    /// <summary>
    /// Writes the views of one image. Shapes: image [48, 48] bytes -> destination [K, 1, 48, 48] floats with
    /// K = <see cref="ViewCount"/>; view order: crop, then its mirror, crops in the order centre, top-left,
    /// top-right, bottom-left, bottom-right. <paramref name="shift"/> is the ten-crop padding in pixels
    /// (<see cref="DefaultShift"/>); the other modes ignore it.
    /// </summary>
    public static void WriteViews(ReadOnlySpan<byte> image, TestTimeViews views, int shift, Span<float> destination)
    {
        int count = ViewCount(views);
        if (image.Length != FerDataset.ImageSize || destination.Length != count * FerDataset.ImageSize)
        {
            throw new ArgumentException(
                $"expected a {FerDataset.ImageSize}-byte image and a {count * FerDataset.ImageSize}-float destination ({count} views), got {image.Length} and {destination.Length}");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(shift);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shift, Side - 1);
        ReadOnlySpan<(int X, int Y)> offsets = [(0, 0), (shift, shift), (-shift, shift), (shift, -shift), (-shift, -shift)];
        for (int view = 0; view < count; view++)
        {
            (int dx, int dy) = offsets[view / 2];
            WriteShifted(image, dx, dy, flip: view % 2 == 1, destination.Slice(view * FerDataset.ImageSize, FerDataset.ImageSize));
        }
    }

    /// <summary>
    /// destination(x, y) = image(x' - dx, y - dy) / 255 with x' = 47 - x when mirrored, else x; coordinates
    /// outside the image read the nearest edge pixel. Shapes: image [48, 48], destination [48, 48].
    /// </summary>
    private static void WriteShifted(ReadOnlySpan<byte> image, int dx, int dy, bool flip, Span<float> destination)
    {
        for (int y = 0; y < Side; y++)
        {
            ReadOnlySpan<byte> row = image.Slice(Math.Clamp(y - dy, 0, Side - 1) * Side, Side);
            for (int x = 0; x < Side; x++)
            {
                int sx = flip ? Side - 1 - x : x;
                destination[y * Side + x] = row[Math.Clamp(sx - dx, 0, Side - 1)] / 255f;
            }
        }
    }
}
