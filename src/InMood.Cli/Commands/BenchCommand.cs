using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using InMood.Cli.Output;
using InMood.Engine.Diagnostics;
using InMood.Engine.Gemm;
using InMood.Engine.Threading;
using Spectre.Console;

namespace InMood.Cli.Commands;

/// <summary>
/// <c>inmood bench</c>: this machine's FMA peak and the engine's speed on its headline workloads, each as a
/// fraction of that peak. Exit codes: 0 done, 2 usage error.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var format = new Option<string>("--format") { Description = "table or json.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var threads = new Option<int?>("--threads") { Description = "Worker threads (default: all cores)." };
        var seconds = new Option<double>("--seconds") { Description = "Timing budget per workload.", DefaultValueFactory = _ => 2.0 };
        var command = new Command("bench", "Measure this machine's FMA peak and the engine's GEMM, conv, inference and training speed.");
        command.Options.Add(format);
        command.Options.Add(threads);
        command.Options.Add(seconds);
        command.SetAction(parseResult =>
        {
            int workers = parseResult.GetValue(threads) ?? Environment.ProcessorCount;
            if (workers < 1 || parseResult.GetValue(seconds) <= 0)
            {
                parseResult.InvocationConfiguration.Error.WriteLine("inmood bench: --threads and --seconds must be positive.");
                return 2;
            }

            WorkerPool.SetSharedWorkers(workers);
            var benchmark = new EngineBenchmark(WorkerPool.Shared, parseResult.GetValue(seconds));
            IReadOnlyList<BenchmarkResult> results = benchmark.Run();
            var report = new BenchReport(
                MachineName(), workers, GemmKernels.Best.ToString(), benchmark.PeakGflops, benchmark.SingleThreadPeakGflops, benchmark.PeakStability, results);
            TextWriter output = parseResult.InvocationConfiguration.Output;
            if (report.PeakStability < 0.9)
            {
                parseResult.InvocationConfiguration.Error.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"inmood bench: the FMA peak moved by {1 - report.PeakStability:P0} between the measurements before and after the workloads; other work shared the cores, so the fractions of peak are unreliable."));
            }

            if (parseResult.GetValue(format) == "json")
            {
                output.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.BenchReport));
                return 0;
            }

            IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
            console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{report.Machine}, {workers} thread(s), {report.Simd} kernels; FMA peak {report.PeakGflops:F1} GFLOP/s ({report.SingleThreadPeakGflops:F1} on one thread)"));
            var table = new Table().AddColumns("workload", "rate", "GFLOP/s", "% of peak");
            foreach (BenchmarkResult r in results)
            {
                table.AddRow(
                    r.Name,
                    string.Create(CultureInfo.InvariantCulture, $"{r.Rate:F1} {r.Unit}"),
                    r.Gflops.ToString("F1", CultureInfo.InvariantCulture),
                    r.FractionOfPeak.ToString("P1", CultureInfo.InvariantCulture));
            }

            console.Write(table);
            return 0;
        });
        return command;
    }

    /// <summary>The CPU model from /proc/cpuinfo where there is one, and the core count.</summary>
    private static string MachineName()
    {
        string cpu = "unknown CPU";
        if (File.Exists("/proc/cpuinfo"))
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }

        return $"{cpu}, {Environment.ProcessorCount} cores";
    }
}
