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
}
