using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
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
        Span<byte> destination, int destinationWidth, int destinationHeight, int destinationStride) =>
        Resize(source, sourceWidth, sourceHeight, sourceStride, channels, channels, destination, destinationWidth, destinationHeight, destinationStride);

    /// <summary>
    /// As <see cref="Resize(ReadOnlySpan{byte}, int, int, int, int, Span{byte}, int, int, int)"/>, from source pixels of
    /// <paramref name="sourcePixelBytes"/> bytes of which the first <paramref name="channels"/> are resampled: 4 with 3
    /// channels reads RGBA as RGB, the alpha byte skipped, with the bytes a resize of the RGB copy gives.
    /// Shapes: source [sourceHeight, sourceStride] with sourceWidth * sourcePixelBytes bytes used per row,
    /// destination [destinationHeight, destinationStride] with destinationWidth * channels bytes written per row.
    /// </summary>
    public static void Resize(
        ReadOnlySpan<byte> source, int sourceWidth, int sourceHeight, int sourceStride,
        int sourcePixelBytes, int channels,
        Span<byte> destination, int destinationWidth, int destinationHeight, int destinationStride) =>
        Resize(source, sourceWidth, sourceHeight, sourceStride, sourcePixelBytes, channels, destination, [], default, destinationWidth, destinationHeight, destinationStride);

    /// <summary>
    /// As <see cref="Resize(ReadOnlySpan{byte}, int, int, int, int, Span{byte}, int, int, int)"/>, writing each output
    /// byte v as the float v * Scale + Offset of <paramref name="normalization"/> (exactly
    /// <see cref="Normalization.Apply"/> of the byte, with no byte image in between). Shapes: source as there,
    /// destination [destinationHeight, destinationStride] floats with destinationWidth * channels written per row.
    /// </summary>
    public static void ResizeNormalized(
        ReadOnlySpan<byte> source, int sourceWidth, int sourceHeight, int sourceStride,
        int channels, Normalization normalization,
        Span<float> destination, int destinationWidth, int destinationHeight, int destinationStride) =>
        Resize(source, sourceWidth, sourceHeight, sourceStride, channels, channels, [], destination, normalization, destinationWidth, destinationHeight, destinationStride);

    /// <summary>
    /// The resize behind the public forms: output rows go to <paramref name="bytes"/>, or, when it is empty, normalised
    /// to <paramref name="floats"/>.
    /// </summary>
    private static void Resize(
        ReadOnlySpan<byte> source, int sourceWidth, int sourceHeight, int sourceStride,
        int sourcePixelBytes, int channels,
        Span<byte> bytes, Span<float> floats, Normalization normalization, int destinationWidth, int destinationHeight, int destinationStride)
    {
        System.Diagnostics.Debug.Assert(sourcePixelBytes >= channels, "a source pixel holds every resampled channel");
        ResampleWeights horizontal = ResampleWeights.Create(sourceWidth, destinationWidth);
        ResampleWeights vertical = ResampleWeights.Create(sourceHeight, destinationHeight);
        int rowLength = destinationWidth * channels;

        // NOTE: output row y reads the horizontally resampled source rows [Starts[y], Starts[y] + Counts[y]), and Starts
        // never decrease, so a ring of MaxCount rows holds every row still to be read: each source row is still resampled
        // at most once, into a few kilobytes that stay in cache (the whole float image of a 2-megapixel photo's
        // shrink was 5 MB, written once and read back, and a cold start's first letterbox faulted in 1.6 MB for it).
        int window = vertical.MaxCount;
        float[] rows = ArrayPool<float>.Shared.Rent(checked((window + 1) * rowLength));
        try
        {
            Span<float> sum = rows.AsSpan(window * rowLength, rowLength);
            int next = 0;
            for (int y = 0; y < destinationHeight; y++)
            {
                int start = vertical.Starts[y];
                int count = vertical.Counts[y];
                ReadOnlySpan<float> weights = vertical.Weights.AsSpan(y * vertical.MaxCount, count);
                System.Diagnostics.Debug.Assert(y == 0 || start >= vertical.Starts[y - 1], "tent centres grow with the output row");

                // Pass 1: the source rows this output row needs that are not in the ring yet, resampled horizontally.
                for (next = Math.Max(next, start); next < start + count; next++)
                {
                    ReadOnlySpan<byte> sourceRow = source.Slice(next * sourceStride, sourceWidth * sourcePixelBytes);
                    Span<float> row = rows.AsSpan((next % window) * rowLength, rowLength);
                    if (channels == 3)
                    {
                        HorizontalRgb(sourceRow, sourcePixelBytes, horizontal, row);
                    }
                    else
                    {
                        Horizontal(sourceRow, sourcePixelBytes, channels, horizontal, row);
                    }
                }

                // Pass 2: the column sums along the whole row, rounded and clamped to bytes.
                if (count == 0)
                {
                    sum.Clear();
                }

                for (int k = 0; k < count; k++)
                {
                    ReadOnlySpan<float> row = rows.AsSpan(((start + k) % window) * rowLength, rowLength);
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
                if (bytes.IsEmpty)
                {
                    // NOTE: a whole value v in [0, 255] is exactly the float of its byte, so v * Scale, rounded, then + Offset,
                    // rounded, is Normalization.Apply of the byte Resize writes.
                    Span<float> output = floats.Slice(y * destinationStride, rowLength);
                    TensorPrimitives.Multiply(sum, normalization.Scale, output);
                    TensorPrimitives.Add(output, normalization.Offset, output);
                }
                else
                {
                    WholeToBytes(sum, bytes.Slice(y * destinationStride, rowLength));
                }
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
    /// The definition <see cref="Resize(ReadOnlySpan{byte}, int, int, int, int, Span{byte}, int, int, int)"/> is tested against: plain loops, one output byte at a time.
    /// Shapes as in <see cref="Resize(ReadOnlySpan{byte}, int, int, int, int, Span{byte}, int, int, int)"/>.
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

    /// <summary>
    /// One row resampled horizontally, any channel count (the first <paramref name="channels"/> bytes of each
    /// <paramref name="pixelBytes"/>-byte pixel). Shapes: sourceRow [sourceWidth * pixelBytes], row [destinationWidth * channels].
    /// </summary>
    private static void Horizontal(ReadOnlySpan<byte> sourceRow, int pixelBytes, int channels, ResampleWeights horizontal, Span<float> row)
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
                    sum += weights[k] * sourceRow[((start + k) * pixelBytes) + c];
                }

                row[(x * channels) + c] = sum;
            }
        }
    }

    /// <summary>
    /// One RGB row resampled horizontally, the three channels side by side in one Vector128 (the fourth lane is
    /// spare). Source pixels are <paramref name="pixelBytes"/> 3 (RGB) or 4 (RGBA, alpha skipped).
    /// Shapes: sourceRow [sourceWidth * pixelBytes], row [destinationWidth * 3].
    /// </summary>
    /// <remarks>
    /// NOTE: a vector step loads 4 bytes per tap and stores 4 floats per pixel, so it never takes the last output pixel
    /// (its fourth float would fall past the row; every other pixel's is overwritten by the next pixel) nor, for 3-byte
    /// pixels, one whose taps reach the last source pixel (its fourth byte would fall past the row); those run the scalar
    /// step. Each lane multiplies and adds exactly as the scalar step does, in the same order. (Two pixels per step, to
    /// hide the add latency, ran 10% slower on the 645 -> 533 px shrink.)
    /// </remarks>
    private static void HorizontalRgb(ReadOnlySpan<byte> sourceRow, int pixelBytes, ResampleWeights horizontal, Span<float> row)
    {
        int width = row.Length / 3;
        int lastVectorTap = Vector128.IsHardwareAccelerated ? (sourceRow.Length / pixelBytes) - (pixelBytes == 4 ? 1 : 2) : -1;
        ref byte source = ref MemoryMarshal.GetReference(sourceRow);
        ref float output = ref MemoryMarshal.GetReference(row);
        for (int x = 0; x < width; x++)
        {
            int start = horizontal.Starts[x];
            ReadOnlySpan<float> weights = horizontal.Weights.AsSpan(x * horizontal.MaxCount, horizontal.Counts[x]);
            if (x < width - 1 && start + weights.Length - 1 <= lastVectorTap)
            {
                Vector128<float> sum = Vector128<float>.Zero;
                for (int k = 0; k < weights.Length; k++)
                {
                    sum += Vector128.Create(weights[k]) * Widen(ref Unsafe.Add(ref source, (start + k) * pixelBytes));
                }

                sum.StoreUnsafe(ref output, (nuint)(x * 3));
                continue;
            }

            ReadOnlySpan<byte> pixels = sourceRow[(start * pixelBytes)..];
            float r = 0f, g = 0f, b = 0f;
            for (int k = 0; k < weights.Length; k++)
            {
                float weight = weights[k];
                r += weight * pixels[pixelBytes * k];
                g += weight * pixels[(pixelBytes * k) + 1];
                b += weight * pixels[(pixelBytes * k) + 2];
            }

            Span<float> rgb = row.Slice(x * 3, 3);
            rgb[0] = r;
            rgb[1] = g;
            rgb[2] = b;
        }
    }

    /// <summary>Four bytes from <paramref name="bytes"/> on as floats.</summary>
    private static Vector128<float> Widen(ref byte bytes)
    {
        Vector128<byte> packed = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<uint>(ref bytes)).AsByte();
        return Vector128.ConvertToSingle(Vector128.WidenLower(Vector128.WidenLower(packed)).AsInt32());
    }

    public static byte ToByte(float value)
    {
        float rounded = MathF.Round(value);
        return rounded <= 0f ? (byte)0 : rounded >= 255f ? (byte)255 : (byte)rounded;
    }
}
