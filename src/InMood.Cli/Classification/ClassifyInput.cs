namespace InMood.Cli.Classification;

/// <summary>
/// One image to classify, in input order: a file path, or the bytes read from standard input
/// (<see cref="IsStandardInput"/>, named "-" in the output).
/// </summary>
/// <param name="Index">Position in the input order, from 0.</param>
/// <param name="Name">The name written to the output's "file" field: the path as found, or "-".</param>
/// <param name="IsStandardInput">True for the "-" argument.</param>
/// <param name="Unreadable">Why the input cannot be read before trying (a folder that cannot be listed), else null.</param>
internal sealed record ClassifyInput(int Index, string Name, bool IsStandardInput, string? Unreadable = null);
