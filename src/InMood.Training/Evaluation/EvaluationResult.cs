namespace InMood.Training.Evaluation;

/// <summary>The confusion matrix of an evaluation and the mean cross-entropy over all views.</summary>
public sealed record EvaluationResult(ConfusionMatrix Matrix, double Loss)
{
    public double Accuracy => Matrix.Accuracy;
}
