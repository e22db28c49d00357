namespace InMood.Training;

/// <summary>Training stopped because the loss stopped being a finite number; the checkpoint and weights of the epochs before are kept.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
