using System.Diagnostics;

namespace InMood.Engine.Diagnostics;

/// <summary>Timing for benchmarks: warm up, then the best calls per second over three timed rounds.</summary>
public static class BestRate
{
    /// <summary>Runs <paramref name="work"/> three times untimed, then in three rounds of at least seconds / 3 each; returns the best rate.</summary>
    public static double Measure(Action work, double seconds)
    {
        for (int i = 0; i < 3; i++)
        {
            work();
        }

        double best = 0;
        for (int round = 0; round < 3; round++)
        {
            int calls = 0;
            long start = Stopwatch.GetTimestamp();
            double elapsed;
            do
            {
                work();
                calls++;
                elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            }
            while (elapsed < seconds / 3);
            best = Math.Max(best, calls / elapsed);
        }

        return best;
    }
}
