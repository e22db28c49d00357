using System.Globalization;
using InMood.Training;

namespace InMood.Cli.Commands;

/// <summary>
/// Shows training progress on stderr: a live line (epoch, batch, loss, accuracy, images/s, ETA) redrawn in
/// place on a terminal, or one line every few percent when stderr is redirected to a file.
/// </summary>
internal static class TrainingProgressView
{
    public static bool Run(Trainer trainer, TextWriter error, CancellationToken cancellation)
    {
        bool live = !Console.IsErrorRedirected && ReferenceEquals(error, Console.Error);
        int lastPercent = -1;
        var progress = new SynchronousProgress<TrainingProgress>(p =>
        {
            int percent = p.Batch * 100 / p.Batches;
            double remainingImages = ((double)(p.Epochs - p.Epoch) * p.Batches + (p.Batches - p.Batch)) * trainer.Options.BatchSize;
            TimeSpan eta = TimeSpan.FromSeconds(remainingImages / Math.Max(p.ImagesPerSecond, 1e-9));
            string line = string.Create(
                CultureInfo.InvariantCulture,
                $"epoch {p.Epoch}/{p.Epochs} batch {p.Batch}/{p.Batches} loss {p.Loss:F4} acc {p.Accuracy:P1} {p.ImagesPerSecond:F0} img/s ETA {eta:hh\\:mm\\:ss}");
            if (live)
            {
                error.Write($"\r{line}   ");
                if (p.Batch == p.Batches)
                {
                    error.WriteLine();
                }
            }
            else if (percent / 10 != lastPercent / 10 || p.Batch == p.Batches)
            {
                error.WriteLine(line);
            }

            lastPercent = percent;
        });
        return trainer.Run(progress, cancellation);
    }

    /// <summary>IProgress that reports on the calling thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
