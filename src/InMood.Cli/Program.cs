using System.CommandLine;
using System.CommandLine.Invocation;
using InMood.Cli.Commands;

namespace InMood.Cli;

/// <summary>Composition root: builds the command tree and runs it.</summary>
public static class Program
{
    /// <summary>
    /// Runs the command line; a usage error (unknown option, bad value, missing argument) prints its messages, any
    /// "did you mean" suggestions and a pointer to --help on stderr, nothing on stdout (it carries data only), and
    /// exits with 2. For the commands whose
    /// action takes a cancellation token (classify, train), Ctrl+C and SIGTERM cancel it through
    /// <see cref="TerminationSignal"/> (System.CommandLine's own handling is off) and the command decides how to stop;
    /// the others (eval, bench, ...) keep the default, so the signal ends them at once, leaving no temporary file.
    /// </summary>
    public static int Main(string[] args)
    {
        ParseResult parseResult = CreateRootCommand().Parse(args);
        if (parseResult.Action is ParseErrorAction parseError && args.Length > 0)
        {
            // NOTE: System.CommandLine would print the whole help after the errors; a bare `inmood` still gets it (on
            // stderr, like every usage error).
            parseError.ShowHelp = false;
        }

        // NOTE: a signal the handler swallows but the command never looks at would make Ctrl+C do nothing.
        using var termination = new TerminationSignal(cancels: parseResult.Action is AsynchronousCommandLineAction);
        if (parseResult.Errors.Count == 0)
        {
            return parseResult.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, termination.Token).GetAwaiter().GetResult();
        }

        using (var usage = new UsageErrorWriter(Console.Error))
        {
            parseResult.Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null, Output = usage, Error = usage });
        }

        if (args.Length > 0)
        {
            Command command = parseResult.CommandResult.Command;
            Console.Error.WriteLine(command is RootCommand ? "See 'inmood --help'." : $"See 'inmood {command.Name} --help'.");
        }

        return 2;
    }

    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("InMood: reads the emotion of every face in a photo and turns the mood into music.");
        root.Subcommands.Add(PlaylistCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(AverageCommand.Create());
        root.Subcommands.Add(ClassifyCommand.Create());
        return root;
    }
}
