using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using InMood.Cli.Output;
using InMood.Engine.Diagnostics;
using InMood.Engine.Gemm;
using InMood.Engine.Threading;
using InMood.Onnx;
using InMood.Onnx.Diagnostics;
using InMood.Onnx.Model;
using Spectre.Console;

namespace InMood.Cli.Commands;

/// <summary>
/// <c>inmood bench</c>: this machine's FMA peak and the engine's speed on its headline workloads, each as a
/// fraction of that peak; with <c>--onnx FILE</c>, the time per run and per image of that model on the compiled path.
/// Exit codes: 0 done, 1 the ONNX file cannot be read or compiled, 2 usage error.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var format = new Option<string>("--format") { Description = "table or json.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var threads = new Option<int?>("--threads") { Description = "Worker threads (default: all cores)." };
        var seconds = new Option<double>("--seconds") { Description = "Timing budget per workload.", DefaultValueFactory = _ => 2.0 };
        var onnx = new Option<string?>("--onnx") { Description = "Time this ONNX model on the compiled path instead of the engine workloads." };
        var batch = new Option<int>("--batch") { Description = "Images per run for --onnx (models with a fixed batch need theirs).", DefaultValueFactory = _ => 1 };
        var command = new Command("bench", "Measure this machine's FMA peak and the engine's GEMM, conv, inference and training speed, or one ONNX model's.");
        foreach (Option option in (Option[])[format, threads, seconds, onnx, batch])
        {
            command.Options.Add(option);
        }

        command.SetAction(parseResult =>
        {
            int workers = parseResult.GetValue(threads) ?? Environment.ProcessorCount;
            if (workers < 1 || !(parseResult.GetValue(seconds) is > 0 and <= 3600) || parseResult.GetValue(batch) is < 1 or > 4096)
            {
                parseResult.InvocationConfiguration.Error.WriteLine("inmood bench: --threads must be at least 1, --seconds more than 0 and at most 3600, --batch 1 to 4096.");
                return 2;
            }

            WorkerPool.SetSharedWorkers(workers);
            if (parseResult.GetValue(onnx) is string path)
            {
                return BenchOnnx(parseResult, path, parseResult.GetValue(batch), parseResult.GetValue(seconds), parseResult.GetValue(format)!);
            }

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
                output.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Readable.BenchReport));
                return 0;
            }

            IAnsiConsole console = TableConsole.Create(output);
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

    /// <summary>Times one ONNX file and prints the result as a table or JSON; exit 1 when the file cannot be read or compiled.</summary>
    private static int BenchOnnx(ParseResult parseResult, string path, int batch, double seconds, string format)
    {
        TextWriter output = parseResult.InvocationConfiguration.Output;
        OnnxBenchmarkResult result;
        try
        {
            OnnxModel model;
            try
            {
                model = OnnxReader.ReadFile(path);
            }
            catch (InvalidDataException e)
            {
                // NOTE: the reader's messages start with the path already.
                parseResult.InvocationConfiguration.Error.WriteLine($"inmood bench: {e.Message}");
                return 1;
            }

            result = OnnxBenchmark.Run(model, Path.GetFileName(path), batch, WorkerPool.Shared, seconds);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            parseResult.InvocationConfiguration.Error.WriteLine($"inmood bench: {path}: {e.Message}");
            return 1;
        }

        var report = new OnnxBenchReport(MachineName(), result);
        if (format == "json")
        {
            output.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Readable.OnnxBenchReport));
            return 0;
        }

        IAnsiConsole console = TableConsole.Create(output);
        console.WriteLine($"{report.Machine}, {result.Threads} thread(s); {result.Model}, input [{string.Join(", ", result.InputShape)}]");
        var table = new Table().AddColumns("ms per run", "ms per image", "images/s");
        table.AddRow(
            result.MillisecondsPerRun.ToString("F3", CultureInfo.InvariantCulture),
            result.MillisecondsPerImage.ToString("F3", CultureInfo.InvariantCulture),
            result.ImagesPerSecond.ToString("F1", CultureInfo.InvariantCulture));
        console.Write(table);
        return 0;
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
