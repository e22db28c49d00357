using System.Globalization;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

namespace InMood.Benchmarks;

/// <summary>
/// Where the time goes, per step on our side and per node on ORT's, for one case of <see cref="OnnxVsOrtBenchmarks"/>:
/// our <c>CompiledModel.Profile</c> (mean ms per run of each step) and ORT's own profiler (mean kernel time per run
/// of each node), each listed by kind (op type) with totals, then the slowest steps. Run:
/// <c>dotnet run -c Release --project benchmarks/InMood.Benchmarks -- profile MODEL [threads] [runs]</c>.
/// </summary>
public static class OnnxProfile
{
    private const int WarmUpRuns = 3;

    public static void Run(string model, int threads, int runs)
    {
        var bench = new OnnxVsOrtBenchmarks { Model = model, Threads = threads };
        bench.Setup();
        try
        {
            for (int i = 0; i < WarmUpRuns; i++)
            {
                bench.Compiled();
            }

            List<(string Name, string Kind, double Milliseconds)> ours = [.. bench.CompiledModel.Profile(bench.Input, runs).Select(t => (t.Name, t.Kind, t.Milliseconds))];
            List<(string Name, string Kind, double Milliseconds)> ort = OrtNodes(bench, runs);
            Console.WriteLine($"{model}, {threads} thread(s), mean of {runs} runs; ours {Total(ours):F2} ms in {ours.Count} steps, ORT {Total(ort):F2} ms of kernel time in {ort.Count} nodes");
            Print("ours by kind", ByKind(ours));
            Print("ORT by op type", ByKind(ort));
            Print("ours, slowest steps", [.. ours.OrderByDescending(s => s.Milliseconds).Take(20).Select(s => ($"{s.Name} ({s.Kind})", s.Milliseconds))]);
            Print("ORT, slowest nodes", [.. ort.OrderByDescending(s => s.Milliseconds).Take(20).Select(s => ($"{s.Name} ({s.Kind})", s.Milliseconds))]);
        }
        finally
        {
            bench.Cleanup();
        }
    }

    /// <summary>Runs the case's file under ORT's profiler and returns each node's mean kernel time per run.</summary>
    private static List<(string Name, string Kind, double Milliseconds)> OrtNodes(OnnxVsOrtBenchmarks bench, int runs)
    {
        using SessionOptions options = OnnxVsOrtBenchmarks.OrtOptions(bench.Threads);
        options.EnableProfiling = true;
        options.ProfileOutputPathPrefix = Path.Combine(Path.GetTempPath(), $"inmood-ort-profile-{Environment.ProcessId}");
        using var profiled = new InferenceSession(OnnxVsOrtBenchmarks.ModelFile(bench.Model).Path, options);
        for (int i = 0; i < WarmUpRuns + runs; i++)
        {
            profiled.Run(bench.Feeds).Dispose();
        }

        string file = profiled.EndProfiling();
        try
        {
            var times = new Dictionary<string, (string Kind, List<double> Microseconds)>(StringComparer.Ordinal);
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(file));
            foreach (JsonElement e in document.RootElement.EnumerateArray())
            {
                if (e.GetProperty("cat").GetString() != "Node" || e.GetProperty("name").GetString() is not { } name || !name.EndsWith("_kernel_time", StringComparison.Ordinal))
                {
                    continue;
                }

                string node = name[..^"_kernel_time".Length];
                if (!times.TryGetValue(node, out var entry))
                {
                    entry = (e.GetProperty("args").TryGetProperty("op_name", out JsonElement op) ? op.GetString() ?? "?" : "?", []);
                    times[node] = entry;
                }

                entry.Microseconds.Add(e.GetProperty("dur").GetDouble());
            }

            // The events come in run order: each node's first WarmUpRuns are the warm-up.
            return [.. times.Select(p => (p.Key, p.Value.Kind, p.Value.Microseconds.Skip(WarmUpRuns).Average() / 1000.0))];
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static double Total(List<(string Name, string Kind, double Milliseconds)> steps) => steps.Sum(s => s.Milliseconds);

    private static List<(string Label, double Milliseconds)> ByKind(List<(string Name, string Kind, double Milliseconds)> steps) =>
        [.. steps.GroupBy(s => s.Kind).Select(g => ($"{g.Key} x {g.Count()}", g.Sum(s => s.Milliseconds))).OrderByDescending(g => g.Item2)];

    private static void Print(string title, List<(string Label, double Milliseconds)> rows)
    {
        Console.WriteLine();
        Console.WriteLine($"{title}:");
        foreach ((string label, double ms) in rows)
        {
            Console.WriteLine($"  {ms.ToString("F3", CultureInfo.InvariantCulture),9} ms  {label}");
        }
    }
}
