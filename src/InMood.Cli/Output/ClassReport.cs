using System.Text.Json.Serialization;

namespace InMood.Cli.Output;

/// <summary>One class's row of an evaluation report.</summary>
internal sealed record ClassReport(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("precision")] double Precision,
    [property: JsonPropertyName("recall")] double Recall,
    [property: JsonPropertyName("f1")] double F1,
    [property: JsonPropertyName("support")] int Support);
