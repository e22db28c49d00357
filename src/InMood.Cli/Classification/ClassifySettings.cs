namespace InMood.Cli.Classification;

/// <summary>How <see cref="ClassificationPipeline"/> treats each image.</summary>
/// <param name="Detect">False (--no-detect): every input is one face crop, no detector runs.</param>
/// <param name="MaxPixels">Largest width x height an image may declare (--max-pixels); larger ones fail with "too_large".</param>
/// <param name="Threads">Images decoded and searched for faces at once (--threads).</param>
internal sealed record ClassifySettings(bool Detect, long MaxPixels, int Threads)
{
    /// <summary>
    /// Long side the detector's copy of a photo is decoded at. BlazeFace sees 256 px; 640 px keeps a face
    /// that fills a tenth of a photo's width at 64 px, above the model's 48, while the JPEG decoder's scaled
    /// decoding skips most of a 12-megapixel photo's work.
    /// </summary>
    public const int DetectLongSide = 640;

    /// <summary>
    /// A JPEG's native reduced decode up to this fraction past <see cref="DetectLongSide"/> is used as decoded (a 2-MP
    /// photo's half-size decode, 775-866 px, is not shrunk to 640): the shrink took about a tenth of a photo's CPU time.
    /// </summary>
    public const double DetectLongSideTolerance = 0.4;

    /// <summary>
    /// An image whose long side is at most this many pixels is a face crop (FER2013's 48x48 images, the original
    /// demo's tightly cropped uploads): it gets exactly one face, the detector's best when it finds any, else the
    /// whole picture (its centred square) with a null score, because a face that fills a small picture leaves
    /// the detector no margin to find it, and a picture this small holds one face at most. The whole-picture fallback
    /// also asks for a crop's shape (see <see cref="SmallCropMinimumSide"/>), so an icon or a strip gets no made-up face.
    /// </summary>
    public const int SmallCropSide = 96;

    /// <summary>
    /// A small picture without a detection is taken as a face crop only when its short side is at least this many
    /// pixels (the model sees it at 48, so at most 2x enlarged) and its long side at most twice the short one.
    /// </summary>
    public const int SmallCropMinimumSide = 24;

    /// <summary>Side of the emotion model's grey input.</summary>
    public const int FaceSide = 48;

    /// <summary>Floats per face crop (1 x 48 x 48).</summary>
    public const int FaceSize = FaceSide * FaceSide;
}
