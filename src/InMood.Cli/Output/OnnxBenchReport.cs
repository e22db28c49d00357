using System.Text.Json.Serialization;
using InMood.Onnx.Diagnostics;

namespace InMood.Cli.Output;

/// <summary>The JSON form of <c>inmood bench --onnx</c>.</summary>
internal sealed record OnnxBenchReport(
    [property: JsonPropertyName("machine")] string Machine,
    [property: JsonPropertyName("result")] OnnxBenchmarkResult Result);
