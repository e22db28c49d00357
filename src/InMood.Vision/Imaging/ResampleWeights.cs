namespace InMood.Vision.Imaging;

/// <summary>
/// One axis of a separable resampling: for each destination index i, the source indices
/// [Starts[i], Starts[i] + Counts[i]) and their weights Weights[i * MaxCount + k], which sum to 1.
/// </summary>
/// <remarks>
/// The filter is a tent (triangle) centred on the destination pixel's centre mapped into the source,
/// (i + 0.5) * source / destination, with radius max(1, source / destination) source pixels. When enlarging
/// this is plain bilinear interpolation; when shrinking the tent widens with the factor, so every source pixel
/// contributes (a prefilter: a 600 px crop shrunk to 48 px averages about 25 x 25 pixels per output and does not alias).
/// Taps that fall outside the source are dropped and the rest renormalised, which at the borders equals
/// replicating the edge pixel.
/// </remarks>
internal sealed class ResampleWeights
{
    private ResampleWeights(int[] starts, int[] counts, float[] weights, int maxCount)
    {
        Starts = starts;
        Counts = counts;
        Weights = weights;
        MaxCount = maxCount;
    }

    public int[] Starts { get; }

    public int[] Counts { get; }

    public float[] Weights { get; }

    public int MaxCount { get; }

    public static ResampleWeights Create(int sourceSize, int destinationSize)
    {
        double scale = (double)sourceSize / destinationSize;
        double radius = Math.Max(1.0, scale);
        int maxCount = (int)Math.Ceiling(2 * radius) + 3;
        var starts = new int[destinationSize];
        var counts = new int[destinationSize];
        var weights = new float[destinationSize * maxCount];
        for (int i = 0; i < destinationSize; i++)
        {
            double center = (i + 0.5) * scale;
            int first = Math.Max(0, (int)Math.Floor(center - radius));
            int last = Math.Min(sourceSize - 1, (int)Math.Ceiling(center + radius));
            double sum = 0;
            int count = 0;
            int start = -1;
            for (int j = first; j <= last; j++)
            {
                double w = 1.0 - Math.Abs((j + 0.5 - center) / radius);
                if (w <= 0)
                {
                    continue;
                }

                if (start < 0)
                {
                    start = j;
                }

                // NOTE: the tent is convex, so its positive taps form one contiguous run from start.
                count = j - start + 1;
                weights[i * maxCount + count - 1] = (float)w;
                sum += w;
            }

            System.Diagnostics.Debug.Assert(count > 0 && count <= maxCount, "a tent of radius >= 1 always covers a source pixel");
            for (int k = 0; k < count; k++)
            {
                weights[i * maxCount + k] = (float)(weights[i * maxCount + k] / sum);
            }

            starts[i] = start;
            counts[i] = count;
        }

        return new ResampleWeights(starts, counts, weights, maxCount);
    }
}
