using System.Text.Json.Serialization;
using InMood.Engine.Diagnostics;

namespace InMood.Cli.Output;

/// <summary>The JSON form of <c>inmood bench</c>.</summary>
internal sealed record BenchReport(
    [property: JsonPropertyName("machine")] string Machine,
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("simd")] string Simd,
    [property: JsonPropertyName("peak_gflops")] double PeakGflops,
    [property: JsonPropertyName("peak_gflops_one_thread")] double SingleThreadPeakGflops,
    [property: JsonPropertyName("peak_stability")] double PeakStability,
    [property: JsonPropertyName("results")] IReadOnlyList<BenchmarkResult> Results);
