namespace InMood.Training;

/// <summary>Where a run writes: best-on-val inference weights, the resumable checkpoint, and the JSONL metrics log.</summary>
public sealed record TrainingPaths(string Weights, string Checkpoint, string MetricsLog);
