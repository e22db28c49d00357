using InMood.Engine.Randomness;
using InMood.Training.Data;

namespace InMood.Training.Tests.Data;

public sealed class FerAugmenterTests
{
    [Fact]
    public void Augment_SameSeedEpochAndIndex_GivesIdenticalFloats()
    {
        byte[] image = SampleImages.Ramp();
        var first = new float[FerDataset.ImageSize];
        var second = new float[FerDataset.ImageSize];

        new FerAugmenter(AugmentationOptions.Default, 42).Augment(image, 3, 17, first);
        new FerAugmenter(AugmentationOptions.Default, 42).Augment(image, 3, 17, second);

        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData(42, 3, 18)]
    [InlineData(42, 4, 17)]
    [InlineData(43, 3, 17)]
    public void Augment_DifferentSeedEpochOrIndex_GivesDifferentFloats(ulong seed, int epoch, int index)
    {
        byte[] image = SampleImages.Ramp();
        var reference = new float[FerDataset.ImageSize];
        var other = new float[FerDataset.ImageSize];
        new FerAugmenter(AugmentationOptions.Default, 42).Augment(image, 3, 17, reference);

        new FerAugmenter(AugmentationOptions.Default, seed).Augment(image, epoch, index, other);

        Assert.NotEqual(reference, other);
    }

    [Fact]
    public void Augment_NoTransforms_WritesPixelsOver255()
    {
        byte[] image = SampleImages.Ramp();
        var output = new float[FerDataset.ImageSize];

        new FerAugmenter(AugmentationOptions.None, 1).Augment(image, 0, 0, output);

        Assert.Equal(image.Select(value => value / 255f), output);
    }

    [Fact]
    public void Augment_FlipOnly_MirrorsEveryRow()
    {
        byte[] image = SampleImages.Ramp();
        var output = new float[FerDataset.ImageSize];
        var options = AugmentationOptions.None with { FlipProbability = 1f };

        new FerAugmenter(options, 1).Augment(image, 0, 0, output);

        for (int y = 0; y < FerDataset.Side; y++)
        {
            for (int x = 0; x < FerDataset.Side; x++)
            {
                Assert.Equal(image[y * FerDataset.Side + FerDataset.Side - 1 - x] / 255f, output[y * FerDataset.Side + x]);
            }
        }
    }

    [Fact]
    public void Flips_EverySample_TellsWhetherAugmentMirroredIt()
    {
        byte[] image = SampleImages.Ramp();
        float[] plain = [.. image.Select(value => value / 255f)];
        var output = new float[FerDataset.ImageSize];
        var augmenter = new FerAugmenter(AugmentationOptions.None with { FlipProbability = 0.5f }, 7);
        int flipped = 0;

        for (int index = 0; index < 40; index++)
        {
            augmenter.Augment(image, 2, index, output);
            bool mirrored = !output.SequenceEqual(plain);

            Assert.Equal(mirrored, augmenter.Flips(2, index));
            flipped += mirrored ? 1 : 0;
        }

        Assert.InRange(flipped, 1, 39);
    }

    [Fact]
    public void Augment_DefaultOptions_StaysInZeroToOne()
    {
        byte[] image = SampleImages.Ramp();
        var output = new float[FerDataset.ImageSize];
        var augmenter = new FerAugmenter(AugmentationOptions.Default, 9);

        for (int index = 0; index < 200; index++)
        {
            augmenter.Augment(image, 1, index, output);

            Assert.All(output, value => Assert.InRange(value, 0f, 1f));
        }
    }

    [Fact]
    public void Augment_WarmCall_AllocatesNothing()
    {
        byte[] image = SampleImages.Ramp();
        var output = new float[FerDataset.ImageSize];
        var augmenter = new FerAugmenter(AugmentationOptions.Default, 5);
        augmenter.Augment(image, 0, 0, output);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int index = 1; index < 100; index++)
        {
            augmenter.Augment(image, 0, index, output);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void ForSample_SameInputs_GivesTheSameStream()
    {
        SplitMix64 first = SplitMix64.ForSample(7, 2, 99);
        SplitMix64 second = SplitMix64.ForSample(7, 2, 99);

        ulong a = first.NextUInt64();
        ulong b = second.NextUInt64();

        Assert.Equal(a, b);
        Assert.NotEqual(a, SplitMix64.ForSample(7, 99, 2).NextUInt64());
    }
}
