using InMood.Cli.Classification;

namespace InMood.Cli.Output;

/// <summary>
/// Writes classify results as they arrive, in input order, so output streams and a stopped run leaves
/// whole records behind. <see cref="End"/> closes the document (the JSON array's bracket).
/// </summary>
internal abstract class ClassifyWriter(TextWriter output)
{
    /// <summary>The names accepted by --format.</summary>
    public static readonly string[] Formats = ["table", "json", "jsonl", "csv"];

    protected TextWriter Output { get; } = output;

    /// <summary>The writer for a --format name.</summary>
    public static ClassifyWriter Create(string format, TextWriter output) => format switch
    {
        "json" => new ClassifyJsonWriter(output, lines: false),
        "jsonl" => new ClassifyJsonWriter(output, lines: true),
        "csv" => new ClassifyCsvWriter(output),
        "table" => new ClassifyTableWriter(output),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, $"expected one of {string.Join(", ", Formats)}"),
    };

    /// <summary>Writes what comes before the first record (a header, an opening bracket).</summary>
    public virtual void Begin()
    {
    }

    /// <summary>Writes one image's record and flushes it, so a reader downstream sees it at once.</summary>
    public abstract void Write(ImageResult result);

    /// <summary>Writes what comes after the last record and flushes.</summary>
    public virtual void End()
    {
        Output.Flush();
    }
}
