using System.Diagnostics;
using System.Globalization;

namespace InMood.Cli.Output;

/// <summary>
/// Diagnostics of a classify run on stderr: when stderr is a terminal, a progress bar redrawn four times a
/// second (images done, images/s, ETA once the inputs have been counted); always, one line per failed input
/// and the closing summary. Thread-safe: the bar's timer and the writer share one lock.
/// </summary>
internal sealed class ClassifyProgress : IDisposable
{
    private const int BarWidth = 28;

    private readonly TextWriter _error;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private readonly Timer? _timer;
    private int _done;
    private int _total = -1;
    private bool _drawn;
    private bool _stopped;

    public ClassifyProgress(TextWriter error, bool live)
    {
        _error = error;
        if (live)
        {
            _timer = new Timer(_ => Draw(), null, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
        }
    }

    /// <summary>True when a bar is drawn (stderr is a terminal).</summary>
    public bool IsLive => _timer is not null;

    /// <summary>Sets the number of inputs once known, which turns on the percentage and the ETA.</summary>
    public void SetTotal(int total) => Volatile.Write(ref _total, total);

    /// <summary>Counts one finished image.</summary>
    public void Advance() => Interlocked.Increment(ref _done);

    /// <summary>Writes a diagnostic line, above the bar when one is drawn.</summary>
    public void WriteLine(string line)
    {
        lock (_lock)
        {
            Clear();
            _error.WriteLine(line);
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        lock (_lock)
        {
            _stopped = true;
            Clear();
            _error.Flush();
        }
    }

    private void Draw()
    {
        int done = Volatile.Read(ref _done);
        int total = Volatile.Read(ref _total);
        double seconds = _clock.Elapsed.TotalSeconds;
        double rate = seconds > 0 ? done / seconds : 0;
        var text = CultureInfo.InvariantCulture;
        string line;
        if (total > 0)
        {
            int filled = (int)((long)BarWidth * Math.Min(done, total) / total);
            string eta = rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, total - done) / rate).ToString(@"h\:mm\:ss", text) : "?";
            line = string.Create(text, $"[{new string('#', filled)}{new string('.', BarWidth - filled)}] {done}/{total} images  {rate:F1} images/s  ETA {eta}");
        }
        else
        {
            line = string.Create(text, $"{done} images  {rate:F1} images/s");
        }

        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }

            _error.Write("\r\u001b[2K" + line);
            _error.Flush();
            _drawn = true;
        }
    }

    private void Clear()
    {
        if (_drawn)
        {
            _error.Write("\r\u001b[2K");
            _drawn = false;
        }
    }
}
