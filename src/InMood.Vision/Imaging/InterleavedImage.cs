namespace InMood.Vision.Imaging;

/// <summary>
/// An 8-bit image with <see cref="ChannelCount"/> interleaved bytes per pixel, rows top to bottom.
/// Shape: <see cref="Pixels"/> is [Height, Stride] bytes; row y holds Width * ChannelCount bytes starting at
/// y * Stride, followed by unused padding up to Stride.
/// </summary>
public abstract class InterleavedImage
{
    /// <summary>Wraps a buffer of at least (Height - 1) * Stride + Width * channels bytes.</summary>
    private protected InterleavedImage(int width, int height, int stride, byte[] pixels, int channels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        Validate(width, height, stride, channels, pixels.Length);
        Width = width;
        Height = height;
        Stride = stride;
        Pixels = pixels;
        ChannelCount = channels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Bytes from the start of one row to the start of the next.</summary>
    public int Stride { get; }

    public byte[] Pixels { get; }

    /// <summary>Bytes per pixel.</summary>
    public int ChannelCount { get; }

    /// <summary>The Width * ChannelCount bytes of row y.</summary>
    public Span<byte> GetRow(int y)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(y);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(y, Height);
        return Pixels.AsSpan(y * Stride, Width * ChannelCount);
    }

    /// <summary>A black buffer with tightly packed rows (Stride = Width * channels).</summary>
    private protected static byte[] Black(int width, int height, int channels) =>
        new byte[BufferLength(width, height, checked(width * channels), channels)];

    /// <summary>Bytes needed for an image: (height - 1) * stride + width * channels.</summary>
    private static int BufferLength(int width, int height, int stride, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        long length = ((long)height - 1) * stride + (long)width * channels;
        if (length > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(height), $"an image of {width}x{height} with stride {stride} needs {length} bytes, more than one array can hold");
        }

        return (int)length;
    }

    /// <summary>Checks the sizes: width and height at least 1, stride at least width * channels, and a buffer that holds every row.</summary>
    private static void Validate(int width, int height, int stride, int channels, int bufferLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (stride < (long)width * channels)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), $"stride {stride} is smaller than width {width} x {channels} channel(s)");
        }

        int needed = BufferLength(width, height, stride, channels);
        if (bufferLength < needed)
        {
            throw new ArgumentException($"a {width}x{height} image with stride {stride} needs {needed} bytes, the buffer has {bufferLength}", "pixels");
        }
    }
}
