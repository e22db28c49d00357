using System.Runtime.InteropServices;
using InMood.Engine.Formats;

namespace InMood.Cli;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM. For a command that stops on a cancellation token (classify, train) both become one
/// cancellation of <see cref="Token"/>, so it stops cleanly and saves (train writes its checkpoint, classify ends its
/// output whole); repeated signals are ignored while it stops, so the process is never killed halfway through a save.
/// (System.CommandLine's own handler threw on a second signal and ended the process without the checkpoint.) Any
/// other command is ended by the signal at once, as by default (exit 130 or 143), after the temporary files of its
/// atomic writes in progress are deleted (<see cref="AtomicFile.DeleteUnfinished"/>), so none is left behind.
/// </summary>
internal sealed class TerminationSignal : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly PosixSignalRegistration[] _registrations;
    private readonly bool _cancels;

    /// <param name="cancels">True when the command stops on <see cref="Token"/>; false to let the signal end it.</param>
    public TerminationSignal(bool cancels)
    {
        _cancels = cancels;
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
        if (_cancels)
        {
            context.Cancel = true;
            Request();
        }
        else
        {
            AtomicFile.DeleteUnfinished();
        }
    });
}
