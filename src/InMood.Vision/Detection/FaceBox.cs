using InMood.Vision.Imaging;

namespace InMood.Vision.Detection;

/// <summary>An axis-aligned box, edges in image coordinates: Left &lt;= Right, Top &lt;= Bottom.</summary>
public readonly record struct FaceBox(float Left, float Top, float Right, float Bottom)
{
    public float Width => Right - Left;

    public float Height => Bottom - Top;

    public float Area => Math.Max(0f, Width) * Math.Max(0f, Height);

    /// <summary>The whole pixels the box touches (edges rounded outward), for <see cref="ImageCropper"/>.</summary>
    public PixelRect ToPixelRect()
    {
        int left = (int)MathF.Floor(Left), top = (int)MathF.Floor(Top);
        return new PixelRect(left, top, Math.Max(0, (int)MathF.Ceiling(Right) - left), Math.Max(0, (int)MathF.Ceiling(Bottom) - top));
    }

    /// <summary>Intersection over union with <paramref name="other"/>; 0 when either box is empty.</summary>
    public float IntersectionOverUnion(FaceBox other)
    {
        float width = Math.Min(Right, other.Right) - Math.Max(Left, other.Left);
        float height = Math.Min(Bottom, other.Bottom) - Math.Max(Top, other.Top);
        if (width <= 0f || height <= 0f)
        {
            return 0f;
        }

        float intersection = width * height;
        return intersection / (Area + other.Area - intersection);
    }
}
