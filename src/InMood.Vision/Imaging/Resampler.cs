namespace InMood.Vision.Imaging;

/// <summary>Separable tent-filter resampling of interleaved 8-bit images (see <see cref="ResampleWeights"/>).</summary>
internal static class Resampler
{
    /// <summary>
    /// Resizes source [sourceHeight, sourceStride] bytes (sourceWidth pixels of <paramref name="channels"/> bytes per row)
    /// into destination [destinationHeight, destinationStride] bytes.
    /// </summary>
    public static void Resize(
        ReadOnlySpan<byte> source, int sourceWidth, int sourceHeight, int sourceStride,
        int channels,
        Span<byte> destination, int destinationWidth, int destinationHeight, int destinationStride)
    {
        ResampleWeights horizontal = ResampleWeights.Create(sourceWidth, destinationWidth);
        ResampleWeights vertical = ResampleWeights.Create(sourceHeight, destinationHeight);
        int rowLength = destinationWidth * channels;

        // Pass 1: every source row resampled horizontally, float [sourceHeight, destinationWidth * channels].
        var rows = new float[sourceHeight * rowLength];
        for (int y = 0; y < sourceHeight; y++)
        {
            ReadOnlySpan<byte> sourceRow = source.Slice(y * sourceStride, sourceWidth * channels);
            Span<float> row = rows.AsSpan(y * rowLength, rowLength);
            for (int x = 0; x < destinationWidth; x++)
            {
                int start = horizontal.Starts[x];
                int count = horizontal.Counts[x];
                ReadOnlySpan<float> weights = horizontal.Weights.AsSpan(x * horizontal.MaxCount, count);
                for (int c = 0; c < channels; c++)
                {
                    float sum = 0f;
                    for (int k = 0; k < count; k++)
                    {
                        sum += weights[k] * sourceRow[(start + k) * channels + c];
                    }

                    row[x * channels + c] = sum;
                }
            }
        }

        // Pass 2: columns resampled vertically, rounded and clamped to bytes.
        for (int y = 0; y < destinationHeight; y++)
        {
            int start = vertical.Starts[y];
            int count = vertical.Counts[y];
            ReadOnlySpan<float> weights = vertical.Weights.AsSpan(y * vertical.MaxCount, count);
            Span<byte> destinationRow = destination.Slice(y * destinationStride, rowLength);
            for (int i = 0; i < rowLength; i++)
            {
                float sum = 0f;
                for (int k = 0; k < count; k++)
                {
                    sum += weights[k] * rows[(start + k) * rowLength + i];
                }

                destinationRow[i] = ToByte(sum);
            }
        }
    }

    public static byte ToByte(float value)
    {
        float rounded = MathF.Round(value);
        return rounded <= 0f ? (byte)0 : rounded >= 255f ? (byte)255 : (byte)rounded;
    }
}
