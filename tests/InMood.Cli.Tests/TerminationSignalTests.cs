using System.Diagnostics;

namespace InMood.Cli.Tests;

/// <summary>Ctrl+C and SIGTERM as the CLI takes them: one cancellation, repeats harmless.</summary>
public sealed class TerminationSignalTests
{
    [Fact]
    public void Request_RepeatedWhileStopping_CancelsOnceAndNeverThrows()
    {
        using var termination = new TerminationSignal();
        int cancellations = 0;
        using CancellationTokenRegistration counted = termination.Token.Register(() => cancellations++);

        Assert.False(termination.Token.IsCancellationRequested);
        termination.Request();
        termination.Request();
        termination.Request();

        Assert.True(termination.Token.IsCancellationRequested);
        Assert.Equal(1, cancellations);
    }

    [Fact]
    public async Task Tool_CtrlCInCommandWithoutCancellation_EndsItAtOnce()
    {
        // Arrange: bench's workloads at 30 s each would run for minutes if the signal were swallowed.
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { Path.Combine(AppContext.BaseDirectory, "inmood.dll"), "bench", "--threads", "1", "--seconds", "30" })
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await Task.Delay(2000);

        // Act
        using (Process kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        bool exited = process.WaitForExit(15_000);
        if (!exited)
        {
            process.Kill();
        }

        // Assert
        Assert.True(exited, "bench was still running 15 s after Ctrl+C");
        Assert.Equal(130, process.ExitCode);
        Assert.DoesNotContain("Exception", await error + await output);
    }
}
