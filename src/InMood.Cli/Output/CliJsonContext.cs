using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace InMood.Cli.Output;

/// <summary>Source-generated JSON for the CLI's own reports (Native AOT has no reflection-based serialisation).</summary>
[JsonSerializable(typeof(EvaluationReport))]
[JsonSerializable(typeof(BenchReport))]
[JsonSerializable(typeof(OnnxBenchReport))]
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
    private static CliJsonContext? s_readable;

    /// <summary>
    /// <see cref="Default"/> writing non-ASCII letters, <c>&amp;</c> and <c>'</c> in paths as themselves, like classify's
    /// JSON; quotes, backslashes and control characters are still escaped.
    /// </summary>
    /// <remarks>Made on first use: the generated <see cref="Default"/> is initialised in another file of this
    /// partial class, in no guaranteed order.</remarks>
    public static CliJsonContext Readable => s_readable ??= new(new JsonSerializerOptions(Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
