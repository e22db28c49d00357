using System.Text.Json.Serialization;

namespace InMood.Cli.Output;

/// <summary>Source-generated JSON for the CLI's own reports (Native AOT has no reflection-based serialisation).</summary>
[JsonSerializable(typeof(EvaluationReport))]
[JsonSerializable(typeof(BenchReport))]
[JsonSerializable(typeof(OnnxBenchReport))]
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
internal sealed partial class CliJsonContext : JsonSerializerContext;
