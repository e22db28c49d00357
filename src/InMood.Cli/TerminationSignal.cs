using System.Runtime.InteropServices;

namespace InMood.Cli;

/// <summary>
/// Turns Ctrl+C (SIGINT) and SIGTERM into one cancellation of <see cref="Token"/>, so a command stops cleanly and saves
/// (train writes its checkpoint, classify ends its output whole). Repeated signals are ignored while it stops; the
/// process is never killed halfway through a save. (System.CommandLine's own handler threw on a second signal and
/// ended the process without the checkpoint.)
/// </summary>
internal sealed class TerminationSignal : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly PosixSignalRegistration[] _registrations;

    public TerminationSignal()
    {
        _registrations = [Register(PosixSignal.SIGINT), Register(PosixSignal.SIGTERM)];
    }

    public CancellationToken Token => _cancellation.Token;

    /// <summary>A termination request: the first cancels <see cref="Token"/>, later ones change nothing.</summary>
    public void Request() => _cancellation.Cancel();

    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in _registrations)
        {
            registration.Dispose();
        }

        _cancellation.Dispose();
    }

    private PosixSignalRegistration Register(PosixSignal signal) => PosixSignalRegistration.Create(signal, context =>
    {
        context.Cancel = true;
        Request();
    });
}
