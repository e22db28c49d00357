namespace InMood.Training;

/// <summary>
/// Where a run stands: the next epoch and batch to run, the running sums of the epoch in progress and, in a distillation
/// run, the teachers' targets, so that a resumed run neither computes them again nor sees different ones.
/// </summary>
public sealed record TrainingState
{
    public int Epoch { get; init; }

    public int Batch { get; init; }

    public double LossSum { get; init; }

    public long Correct { get; init; }

    public long Seen { get; init; }

    public double SecondsInEpoch { get; init; }

    /// <summary>Best val accuracy so far; -1 before the first evaluation, so the first epoch's weights are always kept.</summary>
    public double BestValAccuracy { get; init; } = -1;

    /// <summary>
    /// The <see cref="Data.FerDataset.Fingerprint"/> of the training set the run last trained on; null in checkpoints
    /// written before it was kept.
    /// </summary>
    public string? TrainData { get; init; }

    /// <summary>The teachers' logits on every training image, [images, classes] (<see cref="TeacherTargets"/>); null until computed.</summary>
    public float[]? TeacherLogits { get; init; }

    /// <summary>The <see cref="Data.FerDataset.Fingerprint"/> of the training set <see cref="TeacherLogits"/> were computed on.</summary>
    public string? TeacherLogitsData { get; init; }
}
