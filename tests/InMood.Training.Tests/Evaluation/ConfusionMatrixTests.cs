using InMood.Training.Evaluation;

namespace InMood.Training.Tests.Evaluation;

public class ConfusionMatrixTests
{
    [Fact]
    public void Metrics_HandMadeCase_MatchHandComputedValues()
    {
        // 3 classes; actual a: 3 right, 1 predicted as b; actual b: 2 right; actual c: 1 predicted as a, none right.
        var matrix = new ConfusionMatrix(["a", "b", "c"]);
        foreach ((int actual, int predicted) in (ValueTuple<int, int>[])[(0, 0), (0, 0), (0, 0), (0, 1), (1, 1), (1, 1), (2, 0)])
        {
            matrix.Add(actual, predicted);
        }

        IReadOnlyList<ClassMetrics> perClass = matrix.PerClass();

        Assert.Equal(7, matrix.Total);
        Assert.Equal(5.0 / 7, matrix.Accuracy, 12);
        Assert.Equal(0.75, perClass[0].Precision, 12);
        Assert.Equal(0.75, perClass[0].Recall, 12);
        Assert.Equal(2.0 / 3, perClass[1].Precision, 12);
        Assert.Equal(1.0, perClass[1].Recall, 12);
        Assert.Equal(0.8, perClass[1].F1, 12);
        Assert.Equal(0.0, perClass[2].F1, 12);
        Assert.Equal(1, perClass[2].Support);
        Assert.Equal((0.75 + 0.8 + 0.0) / 3, matrix.MacroF1, 12);
        Assert.Equal([[3, 1, 0], [0, 2, 0], [1, 0, 0]], matrix.ToRows());
    }

    [Fact]
    public void MacroF1_ClassNeitherActualNorPredicted_IsLeftOutOfTheMean()
    {
        // 3 classes; only a and b occur: a 2 right, 1 predicted as b; b 1 right. F1(a) = 0.8, F1(b) = 2/3.
        var matrix = new ConfusionMatrix(["a", "b", "c"]);
        foreach ((int actual, int predicted) in (ValueTuple<int, int>[])[(0, 0), (0, 0), (0, 1), (1, 1)])
        {
            matrix.Add(actual, predicted);
        }

        Assert.Equal((0.8 + 2.0 / 3) / 2, matrix.MacroF1, 12);
        Assert.Equal(0.0, matrix.PerClass()[2].F1, 12);
    }
}
