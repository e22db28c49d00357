namespace InMood.Cli.Classification;

/// <summary>
/// Why an input produced no classification: a machine-readable <paramref name="Code"/> ("empty", "not_an_image",
/// "truncated", "corrupt", "too_large", "unreadable" from the decoder, or "failed" for anything else) and a one-line message.
/// </summary>
internal sealed record ClassifyError(string Code, string Message);
