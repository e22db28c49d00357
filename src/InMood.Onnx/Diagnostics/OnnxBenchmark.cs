using InMood.Engine.Diagnostics;
using InMood.Engine.Threading;
using InMood.Onnx.Compiled;
using InMood.Onnx.Model;

namespace InMood.Onnx.Diagnostics;

/// <summary>
/// Times the compiled path on one ONNX model: compiled for <c>batch</c> images on the given pool, fed a fixed random
/// input in [-1, 1), warmed up, then run for at least <c>seconds</c>; the best of three timed rounds counts.
/// </summary>
public static class OnnxBenchmark
{
    /// <summary>Compiles and times <paramref name="model"/>; <paramref name="name"/> labels the result.</summary>
    /// <exception cref="NotSupportedException">The model needs an op or pattern the compiled path lacks.</exception>
    public static OnnxBenchmarkResult Run(OnnxModel model, string name, int batch, WorkerPool pool, double seconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(seconds);
        CompiledModel compiled = CompiledModel.Compile(model, batch, pool);
        float[] input = new float[compiled.InputShape.Aggregate(1L, (a, d) => a * d)];
        var random = new Random(1);
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = (random.NextSingle() * 2f) - 1f;
        }

        double perSecond = BestRate.Measure(() => compiled.Run(input), seconds);
        double milliseconds = 1e3 / perSecond;
        return new OnnxBenchmarkResult(name, [.. compiled.InputShape], pool.Workers, milliseconds, milliseconds / batch, batch * perSecond);
    }
}
