namespace InMood.Vision.Imaging;

/// <summary>Argument checks shared by the image types.</summary>
internal static class ImageGeometry
{
    /// <summary>Bytes needed for an image: (height - 1) * stride + width * channels.</summary>
    public static int BufferLength(int width, int height, int stride, int channels)
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

    public static void Validate(int width, int height, int stride, int channels, int bufferLength)
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
