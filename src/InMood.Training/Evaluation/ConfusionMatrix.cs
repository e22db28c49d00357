namespace InMood.Training.Evaluation;

/// <summary>
/// Counts[actual, predicted] over a labelled set, and the metrics derived from it: accuracy = trace / total,
/// per-class precision, recall and F1, and macro F1 = the unweighted mean of the per-class F1 scores.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly int[,] _counts;

    public ConfusionMatrix(IReadOnlyList<string> classNames)
    {
        ClassNames = classNames;
        _counts = new int[classNames.Count, classNames.Count];
    }

    public IReadOnlyList<string> ClassNames { get; }

    public int Total { get; private set; }

    public int this[int actual, int predicted] => _counts[actual, predicted];

    public void Add(int actual, int predicted)
    {
        _counts[actual, predicted]++;
        Total++;
    }

    public double Accuracy
    {
        get
        {
            int correct = 0;
            for (int i = 0; i < ClassNames.Count; i++)
            {
                correct += _counts[i, i];
            }

            return Total == 0 ? 0 : (double)correct / Total;
        }
    }

    public IReadOnlyList<ClassMetrics> PerClass()
    {
        var result = new List<ClassMetrics>();
        for (int c = 0; c < ClassNames.Count; c++)
        {
            int truePositive = _counts[c, c], predicted = 0, actual = 0;
            for (int k = 0; k < ClassNames.Count; k++)
            {
                predicted += _counts[k, c];
                actual += _counts[c, k];
            }

            double precision = predicted == 0 ? 0 : (double)truePositive / predicted;
            double recall = actual == 0 ? 0 : (double)truePositive / actual;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            result.Add(new ClassMetrics(ClassNames[c], precision, recall, f1, actual));
        }

        return result;
    }

    /// <summary>
    /// The mean F1 over the classes that occur among the actual or the predicted labels, as scikit-learn's macro
    /// average: a class with neither (e.g. an eval set without disgust, never predicted) has no F1 and does not count.
    /// </summary>
    public double MacroF1
    {
        get
        {
            IReadOnlyList<ClassMetrics> perClass = PerClass();
            double sum = 0;
            int counted = 0;
            for (int c = 0; c < perClass.Count; c++)
            {
                int predicted = 0;
                for (int k = 0; k < perClass.Count; k++)
                {
                    predicted += _counts[k, c];
                }

                if (perClass[c].Support > 0 || predicted > 0)
                {
                    sum += perClass[c].F1;
                    counted++;
                }
            }

            return counted == 0 ? 0 : sum / counted;
        }
    }

    /// <summary>Rows are actual classes, columns predicted ones.</summary>
    public int[][] ToRows()
    {
        int n = ClassNames.Count;
        return Enumerable.Range(0, n).Select(i => Enumerable.Range(0, n).Select(j => _counts[i, j]).ToArray()).ToArray();
    }
}
