using System.Diagnostics;

namespace InMood.Cli.Tests;

/// <summary>The built tool (inmood.dll beside the test binaries) run as a child process, as users and scripts run it.</summary>
internal static class ToolProcess
{
    public static string Dll { get; } = Path.Combine(AppContext.BaseDirectory, "inmood.dll");

    /// <summary>Starts <paramref name="file"/> with stdin, stdout and stderr redirected.</summary>
    public static Process Start(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    /// <summary>Runs <paramref name="file"/> to its end with <paramref name="input"/> (or nothing) on stdin.</summary>
    public static (int ExitCode, string Output, string Error) Run(string file, string[] args, byte[]? input)
    {
        using Process process = Start(file, args);
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            process.StandardInput.BaseStream.Write(input);
        }

        process.StandardInput.Close();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }
}
