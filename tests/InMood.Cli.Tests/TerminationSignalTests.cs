using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace InMood.Cli.Tests;

/// <summary>Ctrl+C and SIGTERM as the CLI takes them: one cancellation, repeats harmless.</summary>
public sealed class TerminationSignalTests
{
    private const int SigTerm = 15;

    [Fact]
    public void Request_RepeatedWhileStopping_CancelsOnceAndNeverThrows()
    {
        using var termination = new TerminationSignal(cancels: true);
        int cancellations = 0;
        using CancellationTokenRegistration counted = termination.Token.Register(() => cancellations++);

        Assert.False(termination.Token.IsCancellationRequested);
        termination.Request();
        termination.Request();
        termination.Request();

        Assert.True(termination.Token.IsCancellationRequested);
        Assert.Equal(1, cancellations);
    }

    [SigIntDeliveredFact]
    public Task Tool_CtrlCInCommandWithoutCancellation_EndsItAtOnce() => AssertSignalEndsBench(SigIntDeliveredFactAttribute.SigInt);

    [Fact]
    public Task Tool_SigTermInCommandWithoutCancellation_EndsItAtOnce() => AssertSignalEndsBench(SigTerm);

    [Fact]
    public async Task Tool_SigTermWhileReadingAFifoNobodyWrites_ClassifyStopsAnyway()
    {
        // Arrange
        string folder = Directory.CreateTempSubdirectory("inmood-fifo-").FullName;
        string fifo = Path.Combine(folder, "camera.jpg");
        using (Process mkfifo = Process.Start("mkfifo", fifo))
        {
            mkfifo.WaitForExit();
        }

        // Act
        (bool exited, int exitCode, string output, string error) = await SignalTwoSecondsIn(SigTerm, "classify", fifo, "--format", "jsonl");
        Directory.Delete(folder, recursive: true);

        // Assert
        Assert.True(exited, "classify was still blocked on the FIFO 15 s after SIGTERM");
        Assert.Equal(string.Empty, output);
        Assert.Equal(130, exitCode);
        Assert.Contains("stopped by Ctrl+C/SIGTERM", error);
    }

    /// <summary>bench, whose workloads at 30 s each would run for minutes if the signal were swallowed, exits with 128 + signal.</summary>
    private static async Task AssertSignalEndsBench(int signal)
    {
        // Act
        (bool exited, int exitCode, string output, string error) = await SignalTwoSecondsIn(signal, "bench", "--threads", "1", "--seconds", "30");

        // Assert
        Assert.True(exited, string.Create(CultureInfo.InvariantCulture, $"bench was still running 15 s after signal {signal}"));
        Assert.Equal(128 + signal, exitCode);
        Assert.DoesNotContain("Exception", error + output);
    }

    /// <summary>Starts the built tool with <paramref name="arguments"/>, sends <paramref name="signal"/> 2 s later and waits up to 15 s for it to end (killing it if it does not).</summary>
    private static async Task<(bool Exited, int ExitCode, string Output, string Error)> SignalTwoSecondsIn(int signal, params string[] arguments)
    {
        using Process process = ToolProcess.Start("dotnet", [ToolProcess.Dll, .. arguments]);
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await Task.Delay(2000);
        Assert.Equal(0, Kill(process.Id, signal));
        bool exited = process.WaitForExit(15_000);
        if (!exited)
        {
            process.Kill();
        }

        return (exited, exited ? process.ExitCode : -1, await output, await error);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
