using InMood.Cli.Classification;
using InMood.Cli.Models;
using InMood.Engine.Layers;
using InMood.Engine.Networks;
using InMood.Engine.Tensors;

namespace InMood.Cli.Tests.Classification;

public sealed class EmotionClassifierTests
{
    [Fact]
    public void Classify_MoreFacesThanOneBatch_MatchesTheEngineForwardPass()
    {
        // Arrange
        Network network = EmotionModel.Load(ClassifyTestFiles.Model);
        var classifier = new EmotionClassifier(network, mirror: false);
        const int Faces = EmotionClassifier.MaxBatch + 3;
        var random = new Random(11);
        float[] crops = [.. Enumerable.Range(0, Faces * ClassifySettings.FaceSize).Select(_ => random.NextSingle())];
        Tensor logits = network.Forward(crops, Faces, training: false);
        var expected = new float[Faces * 7];
        for (int i = 0; i < Faces; i++)
        {
            Softmax.Apply(logits.Sample(i), expected.AsSpan(i * 7, 7));
        }

        var actual = new float[Faces * 7];

        // Act
        classifier.Classify(crops, Faces, actual);

        // Assert
        for (int i = 0; i < actual.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-5f, $"probability {i}: compiled {actual[i]}, engine {expected[i]}");
        }
    }

    [Fact]
    public void Classify_Mirrored_IsTheMeanOfTheFacesAndTheirMirrorImagesProbabilities()
    {
        // Arrange
        Network network = EmotionModel.Load(ClassifyTestFiles.Model);
        var plain = new EmotionClassifier(network, mirror: false);
        EmotionClassifier mirrored = new EmotionClassifier(network, mirror: true).Copy();
        const int Faces = EmotionClassifier.MaxBatch + 5;
        const int Side = ClassifySettings.FaceSide;
        var random = new Random(17);
        float[] crops = [.. Enumerable.Range(0, Faces * ClassifySettings.FaceSize).Select(_ => random.NextSingle())];
        float[] flipped = new float[crops.Length];
        for (int i = 0; i < crops.Length; i++)
        {
            int x = i % Side;
            flipped[i] = crops[i - x + (Side - 1 - x)];
        }

        var direct = new float[Faces * 7];
        var ofMirrors = new float[Faces * 7];
        plain.Classify(crops, Faces, direct);
        plain.Classify(flipped, Faces, ofMirrors);
        var actual = new float[Faces * 7];

        // Act
        mirrored.Classify(crops, Faces, actual);

        // Assert
        Assert.NotEqual(direct, ofMirrors);
        for (int i = 0; i < actual.Length; i++)
        {
            float expected = (direct[i] + ofMirrors[i]) / 2;
            Assert.True(Math.Abs(actual[i] - expected) <= 1e-6f, $"probability {i}: mirrored {actual[i]}, mean {expected}");
        }
    }

    [Fact]
    public void Copy_SameCrops_GivesBitIdenticalProbabilities()
    {
        // Arrange
        var classifier = new EmotionClassifier(EmotionModel.Load(ClassifyTestFiles.Model), mirror: false);
        EmotionClassifier copy = classifier.Copy();
        const int Faces = 5;
        var random = new Random(3);
        float[] crops = [.. Enumerable.Range(0, Faces * ClassifySettings.FaceSize).Select(_ => random.NextSingle())];
        var expected = new float[Faces * 7];
        var actual = new float[Faces * 7];

        // Act
        classifier.Classify(crops, Faces, expected);
        copy.Classify(crops, Faces, actual);

        // Assert
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task Copy_ClassifyingOnTwoThreadsAtOnce_EachGetsTheSingleThreadAnswer()
    {
        // Arrange
        var classifier = new EmotionClassifier(EmotionModel.Load(ClassifyTestFiles.Model), mirror: false);
        EmotionClassifier[] lanes = [classifier, classifier.Copy()];
        const int Faces = 9;
        var random = new Random(5);
        float[][] crops = [.. Enumerable.Range(0, 2).Select(_ => Enumerable.Range(0, Faces * ClassifySettings.FaceSize).Select(_ => random.NextSingle()).ToArray())];
        float[][] expected = [.. crops.Select(c =>
        {
            var p = new float[Faces * 7];
            classifier.Classify(c, Faces, p);
            return p;
        })];

        // Act
        float[][][] runs = await Task.WhenAll(Enumerable.Range(0, 2).Select(lane => Task.Run(() => Enumerable.Range(0, 20).Select(_ =>
        {
            var p = new float[Faces * 7];
            lanes[lane].Classify(crops[lane], Faces, p);
            return p;
        }).ToArray())));

        // Assert
        for (int lane = 0; lane < 2; lane++)
        {
            Assert.All(runs[lane], p => Assert.Equal(expected[lane], p));
        }
    }
}
