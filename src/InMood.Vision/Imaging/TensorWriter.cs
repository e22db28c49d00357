namespace InMood.Vision.Imaging;

/// <summary>
/// Writes images as float32 network inputs into caller-owned buffers, each value v * Scale + Offset of the
/// given <see cref="Normalization"/>. The destination may hold a whole batch: a call fills
/// destination[offset .. offset + count) and touches nothing else.
/// </summary>
public static class TensorWriter
{
    /// <summary>Planar RGB. Shape: image [H, W, 3] -> destination[offset..] as [3, H, W] (R plane, G plane, B plane).</summary>
    public static void WriteNchw(RgbImage image, Normalization normalization, Span<float> destination, int offset)
    {
        ArgumentNullException.ThrowIfNull(image);
        int plane = image.Width * image.Height;
        Span<float> output = Target(destination, offset, 3 * plane);
        for (int y = 0; y < image.Height; y++)
        {
            ReadOnlySpan<byte> row = image.GetRow(y);
            int o = y * image.Width;
            for (int x = 0; x < image.Width; x++, o++)
            {
                output[o] = normalization.Apply(row[3 * x]);
                output[plane + o] = normalization.Apply(row[3 * x + 1]);
                output[2 * plane + o] = normalization.Apply(row[3 * x + 2]);
            }
        }
    }

    /// <summary>One grey plane. Shape: image [H, W] -> destination[offset..] as [1, H, W].</summary>
    public static void WriteNchw(GrayImage image, Normalization normalization, Span<float> destination, int offset)
    {
        ArgumentNullException.ThrowIfNull(image);
        Span<float> output = Target(destination, offset, image.Width * image.Height);
        for (int y = 0; y < image.Height; y++)
        {
            ReadOnlySpan<byte> row = image.GetRow(y);
            Span<float> outputRow = output.Slice(y * image.Width, image.Width);
            for (int x = 0; x < row.Length; x++)
            {
                outputRow[x] = normalization.Apply(row[x]);
            }
        }
    }

    /// <summary>Interleaved RGB. Shape: image [H, W, 3] -> destination[offset..] as [H, W, 3].</summary>
    public static void WriteNhwc(RgbImage image, Normalization normalization, Span<float> destination, int offset)
    {
        ArgumentNullException.ThrowIfNull(image);
        int rowLength = image.Width * RgbImage.Channels;
        Span<float> output = Target(destination, offset, rowLength * image.Height);
        for (int y = 0; y < image.Height; y++)
        {
            ReadOnlySpan<byte> row = image.GetRow(y);
            Span<float> outputRow = output.Slice(y * rowLength, rowLength);
            for (int i = 0; i < row.Length; i++)
            {
                outputRow[i] = normalization.Apply(row[i]);
            }
        }
    }

    /// <summary>
    /// Letterboxed interleaved RGB (BlazeFace's input, [1, size, size, 3] RGB with <see cref="Normalization.MinusOneToOne"/>):
    /// the image is resized keeping its aspect ratio to fit size x size, centred, and the bands around it are
    /// black (pixel value 0, so they hold normalization.Offset). Shape: image [H, W, 3] -> destination[offset..]
    /// as [size, size, 3]. Returns the transform that maps detector coordinates back to source pixels.
    /// </summary>
    public static LetterboxTransform WriteNhwcLetterbox(RgbImage image, int size, Normalization normalization, Span<float> destination, int offset)
    {
        ArgumentNullException.ThrowIfNull(image);
        LetterboxTransform transform = LetterboxTransform.Fit(image.Width, image.Height, size);
        int rowLength = size * RgbImage.Channels;
        Span<float> output = Target(destination, offset, rowLength * size);
        output.Fill(normalization.Offset);
        if (transform.ScaledWidth == image.Width && transform.ScaledHeight == image.Height)
        {
            WriteNhwc(image, normalization, output, 0, rowLength, transform.OffsetX, transform.OffsetY);
        }
        else
        {
            // NOTE: resampled straight into the tensor, the values a resized RgbImage written with WriteNhwc gives.
            Resampler.ResizeNormalized(
                image.Pixels, image.Width, image.Height, image.Stride, RgbImage.Channels, normalization,
                output[((transform.OffsetY * rowLength) + (transform.OffsetX * RgbImage.Channels))..], transform.ScaledWidth, transform.ScaledHeight, rowLength);
        }

        return transform;
    }

    private static void WriteNhwc(RgbImage image, Normalization normalization, Span<float> output, int start, int rowLength, int offsetX, int offsetY)
    {
        for (int y = 0; y < image.Height; y++)
        {
            ReadOnlySpan<byte> row = image.GetRow(y);
            Span<float> outputRow = output.Slice(start + (offsetY + y) * rowLength + offsetX * RgbImage.Channels, row.Length);
            for (int i = 0; i < row.Length; i++)
            {
                outputRow[i] = normalization.Apply(row[i]);
            }
        }
    }

    private static Span<float> Target(Span<float> destination, int offset, int count)
    {
        if (offset < 0 || (long)offset + count > destination.Length)
        {
            throw new ArgumentOutOfRangeException(
                nameof(offset),
                $"writing {count} floats at offset {offset} needs a destination of at least {(long)offset + count}, it has {destination.Length}");
        }

        return destination.Slice(offset, count);
    }
}
