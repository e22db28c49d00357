namespace InMood.Engine.Diagnostics;

/// <summary>One measured workload: its rate, the GFLOP/s it implies and that as a fraction of the measured FMA peak.</summary>
public sealed record BenchmarkResult(string Name, string Unit, double Rate, double Gflops, double FractionOfPeak);
