using System.Text.Json.Serialization;

namespace InMood.Training;

/// <summary>
/// One line of the training log (JSONL): the epoch's train and val metrics and its training speed, in images/s and in
/// GFLOP/s (3 x the network's forward FLOPs per image: forward, input gradients, weight gradients), also as a
/// fraction of the machine's FMA peak measured on the run's threads when the run (or its resume) started.
/// </summary>
public sealed record EpochMetrics(
    [property: JsonPropertyName("epoch")] int Epoch,
    [property: JsonPropertyName("train_loss")] double TrainLoss,
    [property: JsonPropertyName("train_accuracy")] double TrainAccuracy,
    [property: JsonPropertyName("val_loss")] double ValLoss,
    [property: JsonPropertyName("val_accuracy")] double ValAccuracy,
    [property: JsonPropertyName("learning_rate")] double LearningRate,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("images_per_second")] double ImagesPerSecond,
    [property: JsonPropertyName("gflops_per_second")] double GflopsPerSecond,
    [property: JsonPropertyName("peak_gflops")] double PeakGflops)
{
    /// <summary>GflopsPerSecond / PeakGflops; 0 for lines written before the peak was logged.</summary>
    [JsonPropertyName("fraction_of_peak")]
    public double FractionOfPeak => PeakGflops > 0 ? GflopsPerSecond / PeakGflops : 0;
}
