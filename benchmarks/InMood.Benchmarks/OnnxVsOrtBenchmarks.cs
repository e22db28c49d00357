using BenchmarkDotNet.Attributes;
using InMood.Engine.Threading;
using InMood.Onnx;
using InMood.Onnx.Compiled;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InMood.Benchmarks;

/// <summary>
/// The compiled ONNX path against ONNX Runtime on the same file, input and thread count:
/// BlazeFace back (256) and front (128) at batch 1, big_XCEPTION and InMood's own shipped FerVgg (its ONNX export)
/// at batch 64 (time per batch; divide by 64 per image). The reference models are read from shared/models next to
/// the repository, FerVgg from weights/ in it.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class OnnxVsOrtBenchmarks
{
    private CompiledModel _compiled = null!;
    private InferenceSession _session = null!;
    private NamedOnnxValue[] _feeds = [];
    private float[] _input = [];
    private WorkerPool _pool = null!;

    [Params("blazeface-256", "blazeface-128", "xception-b64", "fervgg-b64")]
    public string Model { get; set; } = "";

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (string path, int batch) = ModelFile(Model);
        _pool = new WorkerPool(Threads);
        _compiled = CompiledModel.Compile(OnnxReader.ReadFile(path), batch, _pool);
        int[] shape = [.. _compiled.InputShape];
        _input = new float[shape.Aggregate(1, (a, d) => a * d)];
        var random = new Random(1);
        for (int i = 0; i < _input.Length; i++)
        {
            _input[i] = (random.NextSingle() * 2f) - 1f;
        }

        _session = new InferenceSession(path, OrtOptions(Threads));
        _feeds = [NamedOnnxValue.CreateFromTensor(_compiled.InputName, new DenseTensor<float>(_input, shape))];
    }

    /// <summary>The compiled model of the last <see cref="Setup"/>.</summary>
    internal CompiledModel CompiledModel => _compiled;

    /// <summary>The input both sides run on, row-major in the compiled model's input shape.</summary>
    internal float[] Input => _input;

    /// <summary>The feeds ORT runs on: <see cref="Input"/> under the model's input name.</summary>
    internal NamedOnnxValue[] Feeds => _feeds;

    /// <summary>ORT's settings for a case: <paramref name="threads"/> intra-op threads, one inter-op, sequential.</summary>
    internal static SessionOptions OrtOptions(int threads) =>
        new() { IntraOpNumThreads = threads, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };

    /// <summary>A case's ONNX file and batch size.</summary>
    internal static (string Path, int Batch) ModelFile(string model) => model switch
    {
        "blazeface-256" => (Path.Combine(ModelsFolder(), "blazeface/face_detection_back_256x256_barracuda.onnx"), 1),
        "blazeface-128" => (Path.Combine(ModelsFolder(), "blazeface/face_detection_front_128x128_barracuda.onnx"), 1),
        "fervgg-b64" => (Path.Combine(RepositoryFolder().FullName, "weights/inmood-fer-vgg/emotion.onnx"), 64),
        _ => (Path.Combine(ModelsFolder(), "fer-big-xception/emotion_big_xception_fer2013.onnx"), 64),
    };

    [GlobalCleanup]
    public void Cleanup() => _session.Dispose();

    [Benchmark(Baseline = true)]
    public float OnnxRuntime()
    {
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> outputs = _session.Run(_feeds);
        return outputs[0].AsTensor<float>().GetValue(0);
    }

    [Benchmark]
    public float Compiled()
    {
        _compiled.Run(_input);
        return _compiled.Output(0)[0];
    }

    private static string ModelsFolder()
    {
        string models = Path.Combine(RepositoryFolder().Parent?.FullName ?? ".", "shared", "models");
        return Directory.Exists(models) ? models : throw new DirectoryNotFoundException($"Reference models not found at {models} (expected shared/models next to the repository).");
    }

    private static DirectoryInfo RepositoryFolder()
    {
        DirectoryInfo? folder = new(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "InMood.Cli.sln")))
        {
            folder = folder.Parent;
        }

        return folder ?? throw new DirectoryNotFoundException($"No InMood.Cli.sln above {AppContext.BaseDirectory}.");
    }
}
