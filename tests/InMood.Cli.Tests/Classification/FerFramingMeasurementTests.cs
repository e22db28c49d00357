using System.Globalization;
using InMood.Cli.Classification;
using InMood.Vision.Detection;
using InMood.Vision.Imaging;
using Xunit.Abstractions;

namespace InMood.Cli.Tests.Classification;

/// <summary>
/// Measures how FER2013 frames its faces relative to BlazeFace's box, the source of <see cref="FaceFraming"/>'s
/// constants: each validation crop is enlarged 4x (48 -> 192 px), centred on a 384x384 mid-grey canvas so the
/// detector sees a whole head with room around it, and the detected box is compared with the known crop square.
/// </summary>
public sealed class FerFramingMeasurementTests(ITestOutputHelper output)
{
    private const int PerClass = 40;
    private const int Enlarged = 192;
    private const int Canvas = 384;

    [FerValidationFact]
    public void Measure_FerValidationCrops_MatchesFramingConstants()
    {
        // Arrange
        var detector = new BlazeFaceDetector();
        string[] files = [.. Directory.GetDirectories(TestPaths.FerValidation).Order(StringComparer.Ordinal)
            .SelectMany(d => Directory.GetFiles(d).Order(StringComparer.Ordinal).Take(PerClass))];
        var scales = new List<float>();
        var offsetsX = new List<float>();
        var offsetsY = new List<float>();

        // Act
        foreach (string file in files)
        {
            RgbImage canvas = Place(ImageResizer.Resize(ImageDecoder.DecodeFile(file).Image, Enlarged, Enlarged));
            const float cropLeft = (Canvas - Enlarged) / 2f;
            FaceDetection? face = detector.Detect(canvas).FirstOrDefault(f => Inside((f.Box.Left + f.Box.Right) / 2f, cropLeft) && Inside((f.Box.Top + f.Box.Bottom) / 2f, cropLeft));
            if (face is null)
            {
                continue;
            }

            float size = (face.Box.Width + face.Box.Height) / 2f;
            scales.Add(Enlarged / size);
            offsetsX.Add((Canvas / 2f - (face.Box.Left + face.Box.Right) / 2f) / size);
            offsetsY.Add((Canvas / 2f - (face.Box.Top + face.Box.Bottom) / 2f) / size);
        }

        // Assert
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"detected {scales.Count} of {files.Length}; scale median {Median(scales):F3} (q1 {Quantile(scales, 0.25):F3}, q3 {Quantile(scales, 0.75):F3}); offset x median {Median(offsetsX):F3} (q1 {Quantile(offsetsX, 0.25):F3}, q3 {Quantile(offsetsX, 0.75):F3}); offset y median {Median(offsetsY):F3} (q1 {Quantile(offsetsY, 0.25):F3}, q3 {Quantile(offsetsY, 0.75):F3})"));
        Assert.True(scales.Count >= files.Length / 2, $"the detector found only {scales.Count} of {files.Length} enlarged FER faces");
        Assert.InRange(Median(scales), FaceFraming.Scale * 0.95f, FaceFraming.Scale * 1.05f);
        Assert.InRange(Median(offsetsX), FaceFraming.OffsetX - 0.03f, FaceFraming.OffsetX + 0.03f);
        Assert.InRange(Median(offsetsY), FaceFraming.OffsetY - 0.03f, FaceFraming.OffsetY + 0.03f);
    }

    private static bool Inside(float center, float cropStart) => center > cropStart && center < cropStart + Enlarged;

    private static RgbImage Place(RgbImage face)
    {
        var canvas = new RgbImage(Canvas, Canvas);
        canvas.Pixels.AsSpan().Fill(128);
        int offset = (Canvas - Enlarged) / 2;
        for (int y = 0; y < face.Height; y++)
        {
            face.GetRow(y).CopyTo(canvas.GetRow(offset + y).Slice(offset * RgbImage.Channels));
        }

        return canvas;
    }

    private static float Median(List<float> values) => Quantile(values, 0.5);

    private static float Quantile(List<float> values, double q)
    {
        float[] sorted = [.. values.Order()];
        return sorted.Length == 0 ? float.NaN : sorted[(int)Math.Round(q * (sorted.Length - 1))];
    }
}
