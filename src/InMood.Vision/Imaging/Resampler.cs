using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace InMood.Vision.Imaging;

/// <summary>Separable tent-filter resampling of interleaved 8-bit images (see <see cref="ResampleWeights"/>).</summary>
internal static class Resampler
{
    /// <summary>
    /// Resizes source [sourceHeight, sourceStride] bytes (sourceWidth pixels of <paramref name="channels"/> bytes per row)
    /// into destination [destinationHeight, destinationStride] bytes. Gives exactly <see cref="ResizeScalar"/>'s bytes:
    /// every sum adds the same products in the same order (the vertical pass runs along a row with TensorPrimitives,
    /// which neither fuses the multiply-add nor reorders it).
    /// </summary>
    public static void Resize(
        ReadOnlySpan<byte> source, int sourceWidth, int sourceHeight, int sourceStride,
        int channels,
        Span<byte> destination, int destinationWidth, int destinationHeight, int destinationStride)
    {
        ResampleWeights horizontal = ResampleWeights.Create(sourceWidth, destinationWidth);
        ResampleWeights vertical = ResampleWeights.Create(sourceHeight, destinationHeight);
        int rowLength = destinationWidth * channels;

        // NOTE: the float rows of a 2-megapixel photo's shrink are megabytes; a fresh array per image costs more in
        // page faults than the arithmetic, so they come from the pool.
        float[] rows = ArrayPool<float>.Shared.Rent(checked((sourceHeight * rowLength) + rowLength));
        try
        {
            // Pass 1: every source row resampled horizontally, float [sourceHeight, destinationWidth * channels].
            for (int y = 0; y < sourceHeight; y++)
            {
                ReadOnlySpan<byte> sourceRow = source.Slice(y * sourceStride, sourceWidth * channels);
                Span<float> row = rows.AsSpan(y * rowLength, rowLength);
                if (channels == 3)
                {
                    HorizontalRgb(sourceRow, horizontal, row);
                }
                else
                {
                    Horizontal(sourceRow, channels, horizontal, row);
                }
            }

            // Pass 2: columns resampled vertically along whole rows, rounded and clamped to bytes.
            Span<float> sum = rows.AsSpan(sourceHeight * rowLength, rowLength);
            for (int y = 0; y < destinationHeight; y++)
            {
                int start = vertical.Starts[y];
                int count = vertical.Counts[y];
                ReadOnlySpan<float> weights = vertical.Weights.AsSpan(y * vertical.MaxCount, count);
                if (count == 0)
                {
                    sum.Clear();
                }

                for (int k = 0; k < count; k++)
                {
                    ReadOnlySpan<float> row = rows.AsSpan((start + k) * rowLength, rowLength);
                    if (k == 0)
                    {
                        TensorPrimitives.Multiply(row, weights[k], sum);
                    }
                    else
                    {
                        TensorPrimitives.MultiplyAdd(row, weights[k], sum, sum);
                    }
                }

                // NOTE: ToByte is round half to even, then clamp to [0, 255]; the rounded, clamped values are whole, so the
                // conversion is exact. (TensorPrimitives.ConvertSaturating<float, byte> runs a scalar loop: 6% of a photo.)
                TensorPrimitives.Round(sum, sum);
                TensorPrimitives.Clamp(sum, 0f, 255f, sum);
                WholeToBytes(sum, destination.Slice(y * destinationStride, rowLength));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rows);
        }
    }

    /// <summary>Whole numbers in [0, 255] to bytes, 32 at a time. Shapes: values [n] -> destination [n].</summary>
    private static void WholeToBytes(ReadOnlySpan<float> values, Span<byte> destination)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float v = ref MemoryMarshal.GetReference(values);
            for (; i <= values.Length - 32; i += 32)
            {
                Vector256<short> low = Vector256.Narrow(
                    Vector256.ConvertToInt32(Vector256.LoadUnsafe(ref v, (nuint)i)),
                    Vector256.ConvertToInt32(Vector256.LoadUnsafe(ref v, (nuint)(i + 8))));
                Vector256<short> high = Vector256.Narrow(
                    Vector256.ConvertToInt32(Vector256.LoadUnsafe(ref v, (nuint)(i + 16))),
                    Vector256.ConvertToInt32(Vector256.LoadUnsafe(ref v, (nuint)(i + 24))));
                Vector256.Narrow(low.AsUInt16(), high.AsUInt16()).CopyTo(destination[i..]);
            }
        }

        for (; i < values.Length; i++)
        {
            destination[i] = (byte)values[i];
        }
    }

    /// <summary>
    /// The definition <see cref="Resize"/> is tested against: plain loops, one output byte at a time.
    /// Shapes as in <see cref="Resize"/>.
    /// </summary>
    internal static void ResizeScalar(
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

    /// <summary>One row resampled horizontally, any channel count. Shapes: sourceRow [sourceWidth * channels], row [destinationWidth * channels].</summary>
    private static void Horizontal(ReadOnlySpan<byte> sourceRow, int channels, ResampleWeights horizontal, Span<float> row)
    {
        int width = row.Length / channels;
        for (int x = 0; x < width; x++)
        {
            int start = horizontal.Starts[x];
            ReadOnlySpan<float> weights = horizontal.Weights.AsSpan(x * horizontal.MaxCount, horizontal.Counts[x]);
            for (int c = 0; c < channels; c++)
            {
                float sum = 0f;
                for (int k = 0; k < weights.Length; k++)
                {
                    sum += weights[k] * sourceRow[((start + k) * channels) + c];
                }

                row[(x * channels) + c] = sum;
            }
        }
    }

    /// <summary>One RGB row resampled horizontally, the three channels side by side. Shapes: sourceRow [sourceWidth * 3], row [destinationWidth * 3].</summary>
    private static void HorizontalRgb(ReadOnlySpan<byte> sourceRow, ResampleWeights horizontal, Span<float> row)
    {
        int width = row.Length / 3;
        for (int x = 0; x < width; x++)
        {
            ReadOnlySpan<float> weights = horizontal.Weights.AsSpan(x * horizontal.MaxCount, horizontal.Counts[x]);
            ReadOnlySpan<byte> pixels = sourceRow.Slice(horizontal.Starts[x] * 3, weights.Length * 3);
            float r = 0f, g = 0f, b = 0f;
            for (int k = 0; k < weights.Length; k++)
            {
                float weight = weights[k];
                r += weight * pixels[3 * k];
                g += weight * pixels[(3 * k) + 1];
                b += weight * pixels[(3 * k) + 2];
            }

            Span<float> output = row.Slice(x * 3, 3);
            output[0] = r;
            output[1] = g;
            output[2] = b;
        }
    }

    public static byte ToByte(float value)
    {
        float rounded = MathF.Round(value);
        return rounded <= 0f ? (byte)0 : rounded >= 255f ? (byte)255 : (byte)rounded;
    }
}
