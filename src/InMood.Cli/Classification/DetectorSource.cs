using InMood.Engine.Threading;
using InMood.Vision.Detection;

namespace InMood.Cli.Classification;

/// <summary>
/// Builds BlazeFace once per run for all workers: the embedded ONNX file is parsed and compiled once, the first
/// worker gets that detector and every later one a sibling that shares its compiled weights and owns only its
/// buffers (<see cref="BlazeFaceDetector.CreateSibling"/>). Each detector runs on a one-thread pool of its own, so
/// workers detect side by side instead of queueing for the shared pool. Thread-safe.
/// </summary>
internal sealed class DetectorSource
{
    private readonly Lazy<BlazeFaceDetector> _compiled = new(
        () => new BlazeFaceDetector(BlazeFaceModel.Back256, FaceDetectorOptions.Default, new WorkerPool(1)),
        LazyThreadSafetyMode.ExecutionAndPublication);

    private int _taken;

    /// <summary>Compiles the detector now (from a background thread, so the first image does not wait for it).</summary>
    public void Compile() => _ = _compiled.Value;

    /// <summary>A detector for one worker's exclusive use.</summary>
    public BlazeFaceDetector Take() =>
        Interlocked.Increment(ref _taken) == 1 ? _compiled.Value : _compiled.Value.CreateSibling(new WorkerPool(1));
}
