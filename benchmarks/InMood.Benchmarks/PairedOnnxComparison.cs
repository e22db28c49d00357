using System.Diagnostics;
using System.Globalization;

namespace InMood.Benchmarks;

/// <summary>
/// The cases of <see cref="OnnxVsOrtBenchmarks"/> timed as pairs: each round runs ours and ORT back to back (the
/// order alternating by round, with a short untimed pause after each run) and keeps their ratio, so a host whose speed
/// drifts from second to second (a shared VM's CPU steal) slows both halves of a pair alike. Reports per case the fastest run of each and the median and
/// quartiles of the per-round ratios ours / ORT. Run: <c>dotnet run -c Release --project benchmarks/InMood.Benchmarks -- paired [rounds] [model ...]</c>
/// (models: blazeface-256, blazeface-128, xception-b64, fervgg-b64; default all).
/// </summary>
public static class PairedOnnxComparison
{
    /// <summary>Untimed pause after every run, so each run starts with no worker of the other still spinning.</summary>
    private const int SettleMilliseconds = 20;

    public static void Run(int rounds, IReadOnlyCollection<string> models)
    {
        Console.WriteLine($"{Environment.ProcessorCount} logical cores, {rounds} rounds per case, ratio = ours / ORT");
        Console.WriteLine("| model | threads | ours min ms | ORT min ms | ours median ms | ORT median ms | ratio of mins | median ratio | quartiles |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (string model in ((string[])["blazeface-256", "blazeface-128", "xception-b64", "fervgg-b64"]).Where(m => models.Count == 0 || models.Contains(m)))
        {
            foreach (int threads in (int[])[1, 2])
            {
                var bench = new OnnxVsOrtBenchmarks { Model = model, Threads = threads };
                bench.Setup();
                try
                {
                    Console.WriteLine(Case(bench, model, threads, rounds));
                }
                finally
                {
                    bench.Cleanup();
                }
            }
        }
    }

    private static string Case(OnnxVsOrtBenchmarks bench, string model, int threads, int rounds)
    {
        for (int i = 0; i < 3; i++)
        {
            bench.Compiled();
            bench.OnnxRuntime();
        }

        var ratios = new double[rounds];
        var oursTimes = new double[rounds];
        var ortTimes = new double[rounds];
        for (int round = 0; round < rounds; round++)
        {
            double ours, ort;
            if (round % 2 == 0)
            {
                ours = Milliseconds(() => bench.Compiled());
                ort = Milliseconds(() => bench.OnnxRuntime());
            }
            else
            {
                ort = Milliseconds(() => bench.OnnxRuntime());
                ours = Milliseconds(() => bench.Compiled());
            }

            ratios[round] = ours / ort;
            oursTimes[round] = ours;
            ortTimes[round] = ort;
        }

        Array.Sort(ratios);
        Array.Sort(oursTimes);
        Array.Sort(ortTimes);
        string F(double value) => value.ToString("F2", CultureInfo.InvariantCulture);
        return $"| {model} | {threads} | {F(oursTimes[0])} | {F(ortTimes[0])} | {F(oursTimes[rounds / 2])} | {F(ortTimes[rounds / 2])} | {F(oursTimes[0] / ortTimes[0])} | **{F(ratios[rounds / 2])}** | {F(ratios[rounds / 4])}-{F(ratios[3 * rounds / 4])} |";
    }

    private static double Milliseconds(Func<float> run)
    {
        long start = Stopwatch.GetTimestamp();
        run();
        double milliseconds = Stopwatch.GetElapsedTime(start).TotalMilliseconds;

        // NOTE: ORT's workers keep spinning for a while after a run returns; without this untimed pause the next
        // run (ours, every other round) shares its second core with them.
        Thread.Sleep(SettleMilliseconds);
        return milliseconds;
    }
}
