using System.Text.Json.Serialization;

namespace InMood.Training;

/// <summary>Source-generated JSON for training logs and checkpoint metadata (no reflection, so Native AOT works).</summary>
[JsonSerializable(typeof(EpochMetrics))]
[JsonSerializable(typeof(TrainingOptions))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
public sealed partial class TrainingJsonContext : JsonSerializerContext;
