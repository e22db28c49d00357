using System.Text;
using System.Text.RegularExpressions;

namespace InMood.Cli;

/// <summary>
/// Writes System.CommandLine's usage errors line by line, with the .NET type it names in a value it cannot parse
/// said in words: "Cannot parse argument 'x' for option '--lr' as expected type 'System.Nullable`1[System.Single]'"
/// ends "as a number" instead.
/// </summary>
internal sealed partial class UsageErrorWriter(TextWriter inner) : TextWriter
{
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        if (value == '\n')
        {
            inner.WriteLine(Readable(_line.ToString().TrimEnd('\r')));
            _line.Clear();
        }
        else
        {
            _line.Append(value);
        }
    }

    public override void Flush()
    {
        if (_line.Length > 0)
        {
            inner.Write(Readable(_line.ToString()));
            _line.Clear();
        }

        inner.Flush();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
        }

        base.Dispose(disposing);
    }

    /// <summary>The line with "as expected type 'T'" replaced by what T means to a user.</summary>
    internal static string Readable(string line) => ExpectedType().Replace(line, match => match.Groups[1].Value switch
    {
        var type when type.Contains("Single", StringComparison.Ordinal) || type.Contains("Double", StringComparison.Ordinal) => "as a number",
        var type when type.Contains("Int", StringComparison.Ordinal) => "as a whole number",
        var type when type.Contains("Boolean", StringComparison.Ordinal) => "as true or false",
        _ => "as a value of that option",
    });

    [GeneratedRegex(@"as expected type '([^']*)'")]
    private static partial Regex ExpectedType();
}
