using Spectre.Console;

namespace InMood.Cli.Output;

/// <summary>
/// The Spectre.Console console the table outputs write to: on a terminal it takes the terminal's width and colours;
/// into a file or a pipe it has no colour codes and a width of <see cref="RedirectedWidth"/> columns, so long cells
/// (links) stay on one line instead of wrapping at the 80 columns Spectre assumes when it cannot ask.
/// </summary>
internal static class TableConsole
{
    /// <summary>Columns of a table written into a file or pipe.</summary>
    public const int RedirectedWidth = 1000;

    /// <summary>A console writing to <paramref name="output"/>, as a terminal only when it is this process's stdout on one.</summary>
    public static IAnsiConsole Create(TextWriter output)
    {
        bool terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!terminal)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }
}
