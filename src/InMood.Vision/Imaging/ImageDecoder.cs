using System.Buffers;
using SkiaSharp;

namespace InMood.Vision.Imaging;

/// <summary>
/// Turns encoded bytes (JPEG baseline or progressive, PNG of any bit depth or palette, BMP, GIF first frame,
/// WebP) into pixels in displayed orientation, with SkiaSharp's SKCodec.
/// </summary>
/// <remarks>
/// Order of checks: empty input, format recognised, header dimensions against <see cref="DecodeOptions.MaxPixels"/>
/// (before any pixel is decoded), then the decode itself. Every failure is an <see cref="ImageDecodeException"/>.
/// Transparent pixels come out as if drawn over black. Colours are the stored 8-bit values (no colour-profile
/// conversion), 16-bit channels are reduced to 8 bits.
/// </remarks>
public static class ImageDecoder
{
    /// <summary>Decodes to RGB. Shape of the result: Image [h, w, 3] with max(w, h) &lt;= options.MaxLongSide when set.</summary>
    public static DecodedImage Decode(ReadOnlySpan<byte> data, DecodeOptions? options = null)
    {
        return ToRgb(DecodeCore(data, options ?? DecodeOptions.Default, RgbImage.Channels, "input"));
    }

    /// <summary>Reads and decodes a file to RGB; unreadable files throw with code "unreadable".</summary>
    public static DecodedImage DecodeFile(string path, DecodeOptions? options = null)
    {
        options ??= DecodeOptions.Default;
        return ToRgb(DecodeCore(ReadFile(path, options), options, RgbImage.Channels, path));
    }

    /// <summary>
    /// Decodes to grey (g = 0.299 R + 0.587 G + 0.114 B; grey JPEG and PNG are read as stored).
    /// Shape of the result: [h, w], max(w, h) &lt;= options.MaxLongSide when set.
    /// </summary>
    public static GrayImage DecodeGray(ReadOnlySpan<byte> data, DecodeOptions? options = null)
    {
        return ToGray(DecodeCore(data, options ?? DecodeOptions.Default, GrayImage.Channels, "input"));
    }

    /// <summary>Reads and decodes a file to grey; see <see cref="DecodeGray(ReadOnlySpan{byte}, DecodeOptions?)"/>.</summary>
    public static GrayImage DecodeGrayFile(string path, DecodeOptions? options = null)
    {
        options ??= DecodeOptions.Default;
        return ToGray(DecodeCore(ReadFile(path, options), options, GrayImage.Channels, path));
    }

    /// <summary>The file's bytes, up to the byte limit that goes with the options' pixel limit.</summary>
    private static byte[] ReadFile(string path, DecodeOptions options) =>
        EncodedImageReader.ReadFile(path, EncodedImageReader.MaxBytesFor(options.MaxPixels));

    private static GrayImage ToGray(DecodedRaster raster) => new(raster.Width, raster.Height, raster.Width, raster.Pixels);

    private static DecodedImage ToRgb(DecodedRaster raster)
    {
        var image = new RgbImage(raster.Width, raster.Height, raster.Width * RgbImage.Channels, raster.Pixels);
        return new DecodedImage(image, raster.SourceWidth, raster.SourceHeight, raster.Format, raster.Orientation);
    }

    private static DecodedRaster DecodeCore(ReadOnlySpan<byte> data, DecodeOptions options, int channels, string name)
    {
        if (options.MaxLongSide is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"MaxLongSide must be at least 1, got {options.MaxLongSide}");
        }

        if (data.IsEmpty)
        {
            throw new ImageDecodeException(ImageDecodeError.Empty, $"{name}: empty (0 bytes), expected an image file");
        }

        using SKData encoded = SKData.CreateCopy(data);
        using SKCodec codec = OpenCodec(encoded, ImageSignature.LooksLikeImage(data), data.Length, name);
        SKImageInfo info = codec.Info;
        long pixelCount = (long)info.Width * info.Height;
        if (pixelCount > options.MaxPixels)
        {
            throw new ImageDecodeException(
                ImageDecodeError.TooLarge,
                $"{name}: the image declares {info.Width}x{info.Height} = {pixelCount} pixels, more than the limit of {options.MaxPixels}");
        }

        int orientation = Math.Clamp((int)codec.EncodedOrigin, 1, 8);
        bool swaps = OrientationMap.SwapsAxes(orientation);
        SKSizeI size = ChooseDecodeSize(codec, options.MaxLongSide);
        bool storedGray = channels == GrayImage.Channels && info.ColorType == SKColorType.Gray8;
        var target = new SKImageInfo(
            size.Width,
            size.Height,
            storedGray ? SKColorType.Gray8 : SKColorType.Rgba8888,
            storedGray ? SKAlphaType.Opaque : SKAlphaType.Premul);
        int sourceChannels = storedGray ? 1 : 4;
        int stride = size.Width * sourceChannels;
        int length = checked(stride * size.Height);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            SKCodecResult result;
            unsafe
            {
                fixed (byte* pointer = buffer)
                {
                    // NOTE: frame 0 is the first frame of a GIF or animated WebP.
                    result = codec.GetPixels(target, (IntPtr)pointer, stride, new SKCodecOptions(0));
                }
            }

            ThrowOnFailure(result, name, info);
            int displayWidth = swaps ? size.Height : size.Width;
            int displayHeight = swaps ? size.Width : size.Height;
            (int width, int height) = options.MaxLongSide is int limit && Math.Max(displayWidth, displayHeight) > limit * (1 + options.LongSideTolerance)
                ? ImageResizer.FitLongSide(displayWidth, displayHeight, limit)
                : (displayWidth, displayHeight);
            byte[] pixels = new byte[width * height * channels];
            if (width == displayWidth && height == displayHeight)
            {
                OrientationMap.Copy(buffer.AsSpan(0, length), size.Width, size.Height, stride, sourceChannels, orientation, channels, pixels);
            }
            else if (orientation == 1 && sourceChannels == 4 && channels == RgbImage.Channels)
            {
                // NOTE: an upright RGBA decode that is shrunk anyway is resampled straight from the codec's buffer (alpha
                // skipped, the same bytes as from the RGB copy) instead of through a full-size RGB copy: a 1.5 MB array and a
                // pass over it for every 2-megapixel photo.
                Resampler.Resize(buffer.AsSpan(0, length), size.Width, size.Height, stride, sourceChannels, channels, pixels, width, height, width * channels);
            }
            else
            {
                var upright = new byte[displayWidth * displayHeight * channels];
                OrientationMap.Copy(buffer.AsSpan(0, length), size.Width, size.Height, stride, sourceChannels, orientation, channels, upright);
                Resampler.Resize(upright, displayWidth, displayHeight, displayWidth * channels, channels, pixels, width, height, width * channels);
            }

            return new DecodedRaster(
                pixels,
                width,
                height,
                swaps ? info.Height : info.Width,
                swaps ? info.Width : info.Height,
                codec.EncodedFormat.ToString().ToLowerInvariant(),
                orientation);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static SKCodec OpenCodec(SKData encoded, bool looksLikeImage, int length, string name)
    {
        SKCodec? codec = SKCodec.Create(new SKMemoryStream(encoded), out SKCodecResult result);
        if (codec is not null)
        {
            return codec;
        }

        // NOTE: SKCodec also answers IncompleteInput for a few bytes of anything (too short to sniff), so a
        // short input is only called truncated when it starts like an image.
        throw result switch
        {
            SKCodecResult.IncompleteInput when looksLikeImage => new ImageDecodeException(
                ImageDecodeError.Truncated, $"{name}: truncated, the {length} bytes end inside the image header"),
            SKCodecResult.IncompleteInput or SKCodecResult.Unimplemented => new ImageDecodeException(
                ImageDecodeError.NotAnImage, $"{name}: not an image, the {length} bytes are not JPEG, PNG, BMP, GIF or WebP"),
            _ => new ImageDecodeException(
                ImageDecodeError.Corrupt, $"{name}: corrupt image header ({result})"),
        };
    }

    /// <summary>
    /// The smallest size the codec decodes natively whose long side still reaches maxLongSide (JPEG: eighths
    /// of the full size; WebP: any size; other formats: full size only).
    /// </summary>
    private static SKSizeI ChooseDecodeSize(SKCodec codec, int? maxLongSide)
    {
        var full = new SKSizeI(codec.Info.Width, codec.Info.Height);
        int longSide = Math.Max(full.Width, full.Height);
        if (maxLongSide is not int limit || longSide <= limit)
        {
            return full;
        }

        // NOTE: the JPEG codec rounds the requested scale to the nearest eighth; asking for 1/16 more makes the
        // rounding land at or above the wanted scale, so the final shrink never has to enlarge.
        float scale = Math.Min(1f, (float)limit / longSide + 1f / 16f);
        SKSizeI scaled = codec.GetScaledDimensions(scale);
        bool usable = scaled.Width >= 1 && scaled.Height >= 1 && Math.Max(scaled.Width, scaled.Height) >= limit;
        return usable ? scaled : full;
    }

    private static void ThrowOnFailure(SKCodecResult result, string name, SKImageInfo info)
    {
        switch (result)
        {
            case SKCodecResult.Success:
                return;
            case SKCodecResult.IncompleteInput:
                throw new ImageDecodeException(
                    ImageDecodeError.Truncated, $"{name}: truncated, the data ends before the {info.Width}x{info.Height} image is complete");
            default:
                throw new ImageDecodeException(
                    ImageDecodeError.Corrupt, $"{name}: corrupt {info.Width}x{info.Height} image data ({result})");
        }
    }
}
