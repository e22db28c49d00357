using System.IO.Hashing;

namespace InMood.Training.Data;

/// <summary>
/// FER2013 images decoded once into memory.
/// Shapes: <see cref="Pixels"/> [Count, 48, 48] grey bytes, contiguous; <see cref="Labels"/> [Count], each 0-6
/// (see <see cref="FerClasses"/>).
/// </summary>
public sealed class FerDataset
{
    /// <summary>Image side in pixels.</summary>
    public const int Side = 48;

    /// <summary>Bytes per image, Side * Side.</summary>
    public const int ImageSize = Side * Side;

    public FerDataset(byte[] pixels, byte[] labels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        if (pixels.Length != (long)labels.Length * ImageSize)
        {
            throw new ArgumentException($"{labels.Length} labels need {(long)labels.Length * ImageSize} pixel bytes, got {pixels.Length}", nameof(pixels));
        }

        int bad = labels.AsSpan().IndexOfAnyExceptInRange((byte)0, (byte)(FerClasses.Count - 1));
        if (bad >= 0)
        {
            throw new ArgumentException($"label {labels[bad]} at index {bad} is outside 0-{FerClasses.Count - 1}", nameof(labels));
        }

        Pixels = pixels;
        Labels = labels;
    }

    public int Count => Labels.Length;

    public byte[] Pixels { get; }

    public byte[] Labels { get; }

    /// <summary>The 48 x 48 grey bytes of image <paramref name="index"/>, row by row.</summary>
    public ReadOnlySpan<byte> GetImage(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Pixels.AsSpan(index * ImageSize, ImageSize);
    }

    /// <summary>How many images each class has, by label.</summary>
    public int[] CountPerClass()
    {
        var counts = new int[FerClasses.Count];
        foreach (byte label in Labels)
        {
            counts[label]++;
        }

        return counts;
    }

    /// <summary>
    /// A hash of the images and labels in their order (XXH3, 64 bits, as hex), naming a training set: teachers' targets
    /// are indexed by image, so they only fit the same images in the same order, and a resumed run checks it trains on
    /// the images it started with.
    /// </summary>
    public string Fingerprint()
    {
        var hash = new XxHash3();
        hash.Append(Pixels);
        hash.Append(Labels);
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }
}
