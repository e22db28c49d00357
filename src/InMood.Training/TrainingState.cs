namespace InMood.Training;

/// <summary>Where a run stands: the next epoch and batch to run, and the running sums of the epoch in progress.</summary>
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
}
