using InMood.Cli.Classification;
using InMood.Cli.Models;

namespace InMood.Cli.Tests.Classification;

public sealed class EmotionClassifierTests
{
    [Fact]
    public void Copy_SameCrops_GivesBitIdenticalProbabilities()
    {
        // Arrange
        var classifier = new EmotionClassifier(EmotionModel.Load(ClassifyTestFiles.Model));
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
        var classifier = new EmotionClassifier(EmotionModel.Load(ClassifyTestFiles.Model));
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
