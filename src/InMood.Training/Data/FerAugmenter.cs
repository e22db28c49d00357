using InMood.Engine.Randomness;

namespace InMood.Training.Data;

/// <summary>
/// On-the-fly training augmentation of 48 x 48 grey faces: one bilinear affine warp (shift, horizontal flip,
/// rotation and scale about the centre, borders filled by edge replication), brightness and contrast jitter,
/// then random erasing. Output values are pixel / 255, in [0, 1].
/// </summary>
/// <remarks>
/// Deterministic: the random draws come from <see cref="SplitMix64.ForSample"/>(seed, epoch, index), so a sample
/// looks the same whatever thread or batch computes it. Allocation-free and thread-safe: the only state is the
/// immutable options and seed, and the destination span doubles as the working buffer.
/// </remarks>
public sealed class FerAugmenter
{
    private const int Side = FerDataset.Side;
    private const float Center = (Side - 1) / 2f;

    public FerAugmenter(AugmentationOptions options, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxShift);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxShift, Side - 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MinScale);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxScale, options.MinScale);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxContrast);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MinEraseArea, options.MaxEraseArea);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxEraseArea, 1f);
        Options = options;
        Seed = seed;
    }

    public AugmentationOptions Options { get; }

    public ulong Seed { get; }

    /// <summary>Whether <see cref="Augment"/> mirrors sample <paramref name="index"/> in <paramref name="epoch"/> (its first draw).</summary>
    public bool Flips(int epoch, int index)
    {
        SplitMix64 random = SplitMix64.ForSample(Seed, epoch, index);
        return DrawsFlip(ref random);
    }

    /// <summary>
    /// Writes one augmented view of a sample. Shapes: image [48, 48] bytes; destination [1, 48, 48] floats,
    /// value = augmented pixel / 255.
    /// </summary>
    public void Augment(ReadOnlySpan<byte> image, int epoch, int index, Span<float> destination)
    {
        if (image.Length != FerDataset.ImageSize || destination.Length != FerDataset.ImageSize)
        {
            throw new ArgumentException($"expected a {FerDataset.ImageSize}-byte image and a {FerDataset.ImageSize}-float destination, got {image.Length} and {destination.Length}");
        }

        AugmentationOptions o = Options;
        SplitMix64 random = SplitMix64.ForSample(Seed, epoch, index);
        bool flip = DrawsFlip(ref random);
        int shiftX = random.NextInt(-o.MaxShift, o.MaxShift);
        int shiftY = random.NextInt(-o.MaxShift, o.MaxShift);
        float angle = random.NextFloat(-o.MaxRotationDegrees, o.MaxRotationDegrees) * (MathF.PI / 180f);
        float scale = random.NextFloat(o.MinScale, o.MaxScale);
        float brightness = random.NextFloat(-o.MaxBrightness, o.MaxBrightness) * 255f;
        float contrast = random.NextFloat(1f - o.MaxContrast, 1f + o.MaxContrast);

        float sum = Warp(image, flip, shiftX, shiftY, angle, scale, destination);
        float mean = sum / FerDataset.ImageSize;
        for (int i = 0; i < destination.Length; i++)
        {
            float value = (destination[i] - mean) * contrast + mean + brightness;
            destination[i] = Math.Clamp(value, 0f, 255f) / 255f;
        }

        if (random.NextFloat() < o.EraseProbability)
        {
            Erase(ref random, o, destination);
        }
    }

    private bool DrawsFlip(ref SplitMix64 random) => random.NextFloat() < Options.FlipProbability;

    /// <summary>
    /// destination(x, y) = image sampled bilinearly at the inverse transform of (x, y): undo the shift, then the
    /// rotation and scale about the centre, then the mirror. Writes values 0-255 and returns their sum.
    /// Shapes: image [48, 48], destination [48, 48].
    /// </summary>
    private static float Warp(ReadOnlySpan<byte> image, bool flip, int shiftX, int shiftY, float angle, float scale, Span<float> destination)
    {
        float cos = MathF.Cos(angle) / scale;
        float sin = MathF.Sin(angle) / scale;
        float mirror = flip ? -1f : 1f;
        float u0 = -Center - shiftX;
        float stepX = mirror * cos;
        float stepY = -sin;
        float sum = 0f;
        for (int y = 0; y < Side; y++)
        {
            float v = y - Center - shiftY;
            float sx = mirror * (cos * u0 + sin * v) + Center;
            float sy = -sin * u0 + cos * v + Center;
            Span<float> row = destination.Slice(y * Side, Side);
            for (int x = 0; x < Side; x++)
            {
                float value = Sample(image, sx + x * stepX, sy + x * stepY);
                row[x] = value;
                sum += value;
            }
        }

        return sum;
    }

    /// <summary>Bilinear sample at (x, y); coordinates outside the image read the nearest edge pixel.</summary>
    private static float Sample(ReadOnlySpan<byte> image, float x, float y)
    {
        float floorX = MathF.Floor(x);
        float floorY = MathF.Floor(y);
        float fx = x - floorX;
        float fy = y - floorY;
        int x0 = Math.Clamp((int)floorX, 0, Side - 1);
        int x1 = Math.Clamp((int)floorX + 1, 0, Side - 1);
        int y0 = Math.Clamp((int)floorY, 0, Side - 1) * Side;
        int y1 = Math.Clamp((int)floorY + 1, 0, Side - 1) * Side;
        float top = image[y0 + x0] + fx * (image[y0 + x1] - image[y0 + x0]);
        float bottom = image[y1 + x0] + fx * (image[y1 + x1] - image[y1 + x0]);
        return top + fy * (bottom - top);
    }

    /// <summary>Fills one random rectangle of destination [48, 48] with one random value in [0, 1).</summary>
    private static void Erase(ref SplitMix64 random, AugmentationOptions o, Span<float> destination)
    {
        float area = random.NextFloat(o.MinEraseArea, o.MaxEraseArea) * FerDataset.ImageSize;
        float aspect = MathF.Exp(random.NextFloat(-MathF.Log(3f), MathF.Log(3f)));
        int height = Math.Clamp((int)MathF.Round(MathF.Sqrt(area * aspect)), 1, Side);
        int width = Math.Clamp((int)MathF.Round(MathF.Sqrt(area / aspect)), 1, Side);
        int left = random.NextInt(0, Side - width);
        int top = random.NextInt(0, Side - height);
        float fill = random.NextFloat();
        for (int y = top; y < top + height; y++)
        {
            destination.Slice(y * Side + left, width).Fill(fill);
        }
    }
}
