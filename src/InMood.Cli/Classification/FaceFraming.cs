using InMood.Vision.Detection;

namespace InMood.Cli.Classification;

/// <summary>
/// Turns a BlazeFace box into the square crop that frames the face as FER2013's 48x48 images do, so the
/// emotion model sees faces at the scale and position it was trained on.
/// With s = (box width + box height) / 2 and (cx, cy) the box centre, the crop is the square of side
/// <see cref="Scale"/> * s centred at (cx + <see cref="OffsetX"/> * s, cy + <see cref="OffsetY"/> * s).
/// </summary>
/// <remarks>
/// Measured, not guessed (tests/InMood.Cli.Tests/Classification/FerFramingMeasurementTests.cs, docs/output.md):
/// 280 FER2013 validation crops (the first 40 of each class folder, by name), each enlarged 4x to 192 px and
/// centred on a 384 px mid-grey canvas, were all detected by BlazeFace (back 256 model). The crop side is a median
/// 1.131 box sides (quartiles 1.046 and 1.266); the crop centre sits a median 0.000 box sides right of the box
/// centre (quartiles -0.034 and 0.033) and 0.085 box sides above it (quartiles 0.044 and 0.136): FER2013's crops
/// keep a little more forehead than chin, and are only slightly looser than BlazeFace's box.
/// </remarks>
internal static class FaceFraming
{
    /// <summary>Crop side over the mean box side.</summary>
    public const float Scale = 1.13f;

    /// <summary>Horizontal shift of the crop centre from the box centre, in mean box sides (positive: right).</summary>
    public const float OffsetX = 0f;

    /// <summary>Vertical shift of the crop centre from the box centre, in mean box sides (positive: down).</summary>
    public const float OffsetY = -0.085f;

    /// <summary>The crop square (left, top, side) for <paramref name="box"/>, in the box's coordinates.</summary>
    public static (float Left, float Top, float Side) CropFor(FaceBox box)
    {
        float size = (box.Width + box.Height) / 2f;
        float side = Scale * size;
        float centerX = ((box.Left + box.Right) / 2f) + (OffsetX * size);
        float centerY = ((box.Top + box.Bottom) / 2f) + (OffsetY * size);
        return (centerX - (side / 2f), centerY - (side / 2f), side);
    }
}
