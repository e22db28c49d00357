using InMood.Engine.Layers;
using InMood.Engine.Networks;
using InMood.Training.Data;
using InMood.Training.Tests.Data;

namespace InMood.Training.Tests;

public sealed class BatchNormStatisticsTests
{
    [Fact]
    public void Recalibrate_OnTheWholeSet_InferenceEqualsTrainingModeOnThatSetAsOneBatch()
    {
        FerDataset images = FerTestData.Noise(24, seed: 3);
        Network network = StandardNetworks.FerVgg(dropout: 0f, width: 2);
        Initializer.HeNormal(network, seed: 7);
        var random = new Random(11);
        foreach (BatchNorm2d norm in network.Nodes.Select(n => n.Layer).OfType<BatchNorm2d>())
        {
            for (int c = 0; c < norm.Gamma.Value.Length; c++)
            {
                norm.Gamma.Value[c] = 0.5f + (float)random.NextDouble();
                norm.Beta.Value[c] = (float)random.NextDouble() - 0.5f;
            }
        }

        float[] input = [.. images.Pixels.Select(p => p / 255f)];
        float[] trainingMode = network.Forward(input, images.Count, training: true).Span.ToArray();

        BatchNormStatistics.Recalibrate(network, images, images.Count, batch: 5);
        float[] inferenceMode = network.Forward(input, images.Count, training: false).Span.ToArray();

        Assert.Equal(trainingMode.Length, inferenceMode.Length);
        for (int i = 0; i < trainingMode.Length; i++)
        {
            Assert.True(MathF.Abs(trainingMode[i] - inferenceMode[i]) <= 1e-4f * (1 + MathF.Abs(trainingMode[i])), $"logit {i}: {trainingMode[i]} in training mode, {inferenceMode[i]} after recalibration");
        }
    }

    [Fact]
    public void Recalibrate_StaleStatistics_AreReplaced()
    {
        FerDataset images = FerTestData.Noise(16, seed: 4);
        Network network = StandardNetworks.FerVgg(dropout: 0f, width: 2);
        Initializer.HeNormal(network, seed: 8);
        BatchNorm2d first = network.Nodes.Select(n => n.Layer).OfType<BatchNorm2d>().First();
        Array.Fill(first.RunningMean, 100f);

        BatchNormStatistics.Recalibrate(network, images, images.Count, batch: 16);

        Assert.All(first.RunningMean, m => Assert.InRange(m, -10f, 10f));
        Assert.All(first.RunningVar, v => Assert.True(v > 0f, $"variance {v}"));
    }
}
