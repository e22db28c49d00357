using System.Runtime.Intrinsics;

namespace InMood.Vision.Imaging;

/// <summary>
/// Copies pixels from encoded (stored) order into displayed order for an EXIF orientation 1-8, converting the
/// pixel format on the way.
/// </summary>
/// <remarks>
/// For a display pixel (dx, dy) of a W x H stored image, the stored pixel is:
/// 1 (dx, dy); 2 mirrored (W-1-dx, dy); 3 rotated 180 (W-1-dx, H-1-dy); 4 flipped (dx, H-1-dy);
/// 5 transposed (dy, dx); 6 stored turned 90 left, shown turned right (dy, H-1-dx);
/// 7 transversed (W-1-dy, H-1-dx); 8 stored turned 90 right, shown turned left (W-1-dy, dx).
/// Orientations 5-8 swap width and height. Each case is affine, so one offset and two steps walk the source.
/// </remarks>
internal static class OrientationMap
{
    public static bool SwapsAxes(int orientation) => orientation >= 5;

    /// <summary>
    /// Shapes: source [height, sourceStride] with sourceChannels bytes per pixel (4 = premultiplied RGBA,
    /// 1 = grey); destination [displayHeight, displayWidth * destinationChannels] packed, destinationChannels
    /// 3 (RGB, alpha dropped, which shows transparent areas over black) or 1 (grey; RGBA is turned to luma).
    /// </summary>
    public static void Copy(
        ReadOnlySpan<byte> source, int width, int height, int sourceStride, int sourceChannels,
        int orientation, int destinationChannels, Span<byte> destination)
    {
        if (orientation == 1 && sourceChannels == 4 && destinationChannels == 3)
        {
            for (int y = 0; y < height; y++)
            {
                RgbaToRgb(source.Slice(y * sourceStride, width * 4), destination.Slice(y * width * 3, width * 3));
            }

            return;
        }

        int last = width - 1;
        int bottom = height - 1;
        (int sx0, int sxPerDx, int sxPerDy, int sy0, int syPerDx, int syPerDy) = orientation switch
        {
            2 => (last, -1, 0, 0, 0, 1),
            3 => (last, -1, 0, bottom, 0, -1),
            4 => (0, 1, 0, bottom, 0, -1),
            5 => (0, 0, 1, 0, 1, 0),
            6 => (0, 0, 1, bottom, -1, 0),
            7 => (last, 0, -1, bottom, -1, 0),
            8 => (last, 0, -1, 0, 1, 0),
            _ => (0, 1, 0, 0, 0, 1),
        };
        int displayWidth = SwapsAxes(orientation) ? height : width;
        int displayHeight = SwapsAxes(orientation) ? width : height;
        int stepX = syPerDx * sourceStride + sxPerDx * sourceChannels;
        int stepY = syPerDy * sourceStride + sxPerDy * sourceChannels;
        int rowStart = sy0 * sourceStride + sx0 * sourceChannels;
        int d = 0;
        for (int dy = 0; dy < displayHeight; dy++, rowStart += stepY)
        {
            int s = rowStart;
            for (int dx = 0; dx < displayWidth; dx++, s += stepX)
            {
                if (destinationChannels == 1)
                {
                    destination[d++] = sourceChannels == 1 ? source[s] : Grayscale.Luma(source[s], source[s + 1], source[s + 2]);
                }
                else
                {
                    destination[d++] = source[s];
                    destination[d++] = source[s + 1];
                    destination[d++] = source[s + 2];
                }
            }
        }
    }

    /// <summary>
    /// One upright row, alpha dropped: the general loop's bytes, four pixels per shuffle. Shapes: source [width * 4],
    /// destination [width * 3].
    /// </summary>
    /// <remarks>NOTE: each shuffle stores 16 bytes of which 12 are pixels; the other 4 are overwritten by the next store or the scalar tail, so the vector loop stops while 16 bytes still fit.</remarks>
    private static void RgbaToRgb(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int width = source.Length / 4;
        int p = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            Vector128<byte> order = Vector128.Create((byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 15, 15, 15, 15);
            for (; p + 6 <= width; p += 4)
            {
                Vector128.Shuffle(Vector128.Create(source.Slice(p * 4, 16)), order).CopyTo(destination[(p * 3)..]);
            }
        }

        for (; p < width; p++)
        {
            destination[p * 3] = source[p * 4];
            destination[(p * 3) + 1] = source[(p * 4) + 1];
            destination[(p * 3) + 2] = source[(p * 4) + 2];
        }
    }
}
