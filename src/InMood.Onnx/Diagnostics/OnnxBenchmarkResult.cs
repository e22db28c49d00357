namespace InMood.Onnx.Diagnostics;

/// <summary>One timed ONNX model: milliseconds per run of the whole batch, per image, and images per second.</summary>
public sealed record OnnxBenchmarkResult(
    string Model, IReadOnlyList<int> InputShape, int Threads, double MillisecondsPerRun, double MillisecondsPerImage, double ImagesPerSecond);
