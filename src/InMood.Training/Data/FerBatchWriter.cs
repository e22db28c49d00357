namespace InMood.Training.Data;

/// <summary>Fills a training or evaluation batch from a <see cref="FerDataset"/>.</summary>
public static class FerBatchWriter
{
    /// <summary>
    /// Writes the samples named by <paramref name="indices"/>: augmented when an augmenter is given (its draws keyed
    /// by (seed, epoch, dataset index), so shuffling and threading do not change a sample), else pixel / 255.
    /// Shapes: indices [B]; images [B, 1, 48, 48]; labels [B]. With <paramref name="parallel"/> the samples are
    /// spread over the thread pool; the result is identical either way.
    /// </summary>
    public static void Write(
        FerDataset dataset,
        ReadOnlyMemory<int> indices,
        FerAugmenter? augmenter,
        int epoch,
        bool parallel,
        Memory<float> images,
        Memory<int> labels)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        int batch = indices.Length;
        if (images.Length != batch * FerDataset.ImageSize || labels.Length != batch)
        {
            throw new ArgumentException(
                $"a batch of {batch} needs {batch * FerDataset.ImageSize} image floats and {batch} labels, got {images.Length} and {labels.Length}");
        }

        if (parallel)
        {
            Parallel.For(0, batch, i => WriteOne(dataset, indices.Span[i], augmenter, epoch, images.Span.Slice(i * FerDataset.ImageSize, FerDataset.ImageSize), ref labels.Span[i]));
        }
        else
        {
            for (int i = 0; i < batch; i++)
            {
                WriteOne(dataset, indices.Span[i], augmenter, epoch, images.Span.Slice(i * FerDataset.ImageSize, FerDataset.ImageSize), ref labels.Span[i]);
            }
        }
    }

    private static void WriteOne(FerDataset dataset, int index, FerAugmenter? augmenter, int epoch, Span<float> image, ref int label)
    {
        ReadOnlySpan<byte> pixels = dataset.GetImage(index);
        label = dataset.Labels[index];
        if (augmenter is not null)
        {
            augmenter.Augment(pixels, epoch, index, image);
            return;
        }

        for (int i = 0; i < pixels.Length; i++)
        {
            image[i] = pixels[i] / 255f;
        }
    }
}
