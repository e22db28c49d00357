using InMood.Vision.Detection;
using InMood.Vision.Imaging;

namespace InMood.Cli.Classification;

/// <summary>
/// The per-image half of classification, run by one worker at a time: read the bytes, decode (scaled, EXIF
/// orientation applied), find faces, cut each out as FER2013 frames its faces (<see cref="FaceFraming"/>),
/// turn it grey and shrink it to 48x48. Every failure becomes an error record, never an exception.
/// </summary>
/// <remarks>
/// Not thread-safe: each worker owns one preparer, which takes its own detector from the run's
/// <see cref="DetectorSource"/> on its first image (BlazeFace reuses its buffers; the compiled weights are shared).
/// </remarks>
internal sealed class ImagePreparer(ClassifySettings settings, DetectorSource detectors, Func<byte[]> readStandardInput)
{
    /// <summary>Long side of the decode for --no-detect: four times the model's input, enough to shrink from without aliasing.</summary>
    private const int WholeImageLongSide = 4 * ClassifySettings.FaceSide;

    private BlazeFaceDetector? _detector;

    /// <summary>Decodes, detects and crops <paramref name="input"/>.</summary>
    public PreparedImage Prepare(ClassifyInput input)
    {
        try
        {
            if (input.Unreadable is not null)
            {
                throw new ImageDecodeException(ImageDecodeError.Unreadable, $"{input.Name}: {input.Unreadable}");
            }

            byte[] bytes = input.IsStandardInput ? readStandardInput() : EncodedImageReader.ReadFile(input.Name, EncodedImageReader.MaxBytesFor(settings.MaxPixels));
            return settings.Detect ? Detect(input, bytes) : WholeImage(input, Decode(bytes, WholeImageLongSide));
        }
        catch (ImageDecodeException e)
        {
            return PreparedImage.Failed(input, new ClassifyError(e.Code, Describe(input, e.Message)));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return PreparedImage.Failed(input, new ClassifyError("failed", Describe(input, $"{input.Name}: {e.Message.ReplaceLineEndings(" ")}")));
        }
    }

    private PreparedImage Detect(ClassifyInput input, byte[] bytes)
    {
        DecodedImage decoded = Decode(bytes, ClassifySettings.DetectLongSide, ClassifySettings.DetectLongSideTolerance);
        _detector ??= detectors.Take();
        IReadOnlyList<FaceDetection> faces = _detector.Detect(decoded.Image);
        int longSide = Math.Max(decoded.SourceWidth, decoded.SourceHeight), shortSide = Math.Min(decoded.SourceWidth, decoded.SourceHeight);
        bool small = longSide <= ClassifySettings.SmallCropSide;
        if (faces.Count == 0)
        {
            bool cropShaped = shortSide >= ClassifySettings.SmallCropMinimumSide && longSide <= 2 * shortSide;
            return small && cropShaped ? WholeImage(input, decoded) : new PreparedImage(input, decoded.SourceWidth, decoded.SourceHeight, [], [], [], null);
        }

        if (small)
        {
            // NOTE: enlarged 6x or more, a face crop can fire a second, overlapping anchor; a picture this small holds one face.
            faces = [faces[0]];
        }

        // NOTE: faces are listed left to right (then top to bottom), the order a reader scans a photo.
        FaceDetection[] ordered = [.. faces.OrderBy(f => f.Box.Left).ThenBy(f => f.Box.Top)];
        var crops = new float[ordered.Length * ClassifySettings.FaceSize];
        var boxes = new FaceBox[ordered.Length];
        var scores = new float?[ordered.Length];
        for (int i = 0; i < ordered.Length; i++)
        {
            FaceBox box = ordered[i].Box;
            (float left, float top, float side) = FaceFraming.CropFor(box);
            int pixels = Math.Max(1, (int)MathF.Round(side));
            WriteCrop(decoded.Image, new PixelRect((int)MathF.Round(left), (int)MathF.Round(top), pixels, pixels), crops, i);
            boxes[i] = ToSource(decoded, box);
            scores[i] = ordered[i].Score;
        }

        return new PreparedImage(input, decoded.SourceWidth, decoded.SourceHeight, boxes, scores, crops, null);
    }

    /// <summary>The whole picture as one face: its centred square (the full picture when square), no detection score.</summary>
    private static PreparedImage WholeImage(ClassifyInput input, DecodedImage decoded)
    {
        RgbImage image = decoded.Image;
        int side = Math.Min(image.Width, image.Height);
        var rect = new PixelRect((image.Width - side) / 2, (image.Height - side) / 2, side, side);
        var crops = new float[ClassifySettings.FaceSize];
        WriteCrop(image, rect, crops, 0);
        FaceBox box = ToSource(decoded, new FaceBox(rect.X, rect.Y, rect.Right, rect.Bottom));
        return new PreparedImage(input, decoded.SourceWidth, decoded.SourceHeight, [box], [null], crops, null);
    }

    /// <summary>Cuts <paramref name="rect"/> (edges replicated past the border), greys and shrinks it into crop <paramref name="index"/>. Shape: crops [faces, 48 * 48].</summary>
    private static void WriteCrop(RgbImage image, PixelRect rect, float[] crops, int index)
    {
        GrayImage grey = Grayscale.FromRgb(ImageCropper.Crop(image, rect));
        GrayImage face = grey.Width == ClassifySettings.FaceSide && grey.Height == ClassifySettings.FaceSide
            ? grey
            : ImageResizer.Resize(grey, ClassifySettings.FaceSide, ClassifySettings.FaceSide);
        TensorWriter.WriteNchw(face, Normalization.ZeroToOne, crops, index * ClassifySettings.FaceSize);
    }

    private static FaceBox ToSource(DecodedImage decoded, FaceBox box)
    {
        (double left, double top) = decoded.ToSource(box.Left, box.Top);
        (double right, double bottom) = decoded.ToSource(box.Right, box.Bottom);
        return new FaceBox((float)left, (float)top, (float)right, (float)bottom);
    }

    private DecodedImage Decode(byte[] bytes, int longSide, double tolerance = 0) =>
        ImageDecoder.Decode(bytes, new DecodeOptions { MaxPixels = settings.MaxPixels, MaxLongSide = longSide, LongSideTolerance = tolerance });

    /// <summary>The decoder calls bytes in memory "input"; the message names the input as the output does (its path, or "-").</summary>
    private static string Describe(ClassifyInput input, string message) =>
        message.StartsWith("input: ", StringComparison.Ordinal) ? $"{input.Name}: {message["input: ".Length..]}" : message;
}
