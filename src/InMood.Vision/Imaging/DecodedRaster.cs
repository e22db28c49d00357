namespace InMood.Vision.Imaging;

/// <summary>
/// Packed pixels in displayed orientation, [Height, Width * channels], with the full-size displayed dimensions
/// and what the header said.
/// </summary>
internal sealed record DecodedRaster(byte[] Pixels, int Width, int Height, int SourceWidth, int SourceHeight, string Format, int Orientation);
