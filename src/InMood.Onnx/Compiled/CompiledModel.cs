using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using InMood.Engine.Threading;
using InMood.Onnx.Model;

namespace InMood.Onnx.Compiled;

/// <summary>
/// An ONNX model compiled for one batch size: shapes inferred and constants folded once, BatchNorm
/// folded into convs, Conv + Add + Relu fused, every value placed in a per-worker arena, so a warm
/// <see cref="Run(ReadOnlySpan{float})"/> allocates nothing. Batches above 1 run whole images in parallel (one image per
/// worker, activations staying in that worker's cache); a batch of 1 splits each step over the workers. A large dense
/// layer (FerVgg's fc1) runs once for the whole batch between the image-by-image steps before and after it.
/// The reference <see cref="Execution.OnnxExecutor"/> defines the results; tests hold this path to it.
/// </summary>
/// <remarks>
/// Not thread-safe: one <see cref="Run(ReadOnlySpan{float})"/> at a time per instance. The pool is captured at compile time
/// (arenas are per worker): set <see cref="WorkerPool.SetSharedWorkers"/> before compiling, since it
/// disposes the previous shared pool.
/// </remarks>
public sealed unsafe class CompiledModel
{
    private readonly Step[] _steps;
    private readonly WorkerPool _pool;
    private readonly Slot _input;
    private readonly Slot[] _outputs;
    private readonly float[][] _outputData;
    private readonly RunState _state;
    private readonly ImageJob _imageJob;
    private readonly PartJob _partJob;
    private readonly float[][] _constants;
    private readonly int _arenaFloats;
    private readonly int _scratchFloats;
    private readonly int _batchedGemm;
    private readonly int[] _batchedLengths;
    private readonly BatchJob _batchJob;

    // NOTE: the state holds raw addresses of these pinned arrays; this field keeps them reachable.
    private readonly float[][] _keepAlive;

    private CompiledModel(PlanBuilder plan, int batch, WorkerPool pool)
        : this([.. plan.Steps], plan.Input, plan.Outputs, [.. plan.ConstantData], plan.ArenaFloats, plan.ScratchFloats, plan.BatchedGemm, [.. plan.BatchedLengths], batch, pool)
    {
    }

    private CompiledModel(Step[] steps, Slot input, Slot[] outputs, float[][] constants, int arenaFloats, int scratchFloats, int batchedGemm, int[] batchedLengths, int batch, WorkerPool pool)
    {
        Batch = batch;
        _pool = pool;
        _steps = steps;
        _input = input;
        _outputs = outputs;
        _constants = constants;
        _arenaFloats = arenaFloats;
        _scratchFloats = scratchFloats;
        _batchedGemm = batchedGemm;
        _batchedLengths = batchedLengths;
        _outputData = [.. _outputs.Select(o => GC.AllocateArray<float>(o.Length * batch, pinned: true))];
        float[][] batched = [.. batchedLengths.Select(length => GC.AllocateArray<float>(length * batch, pinned: true))];
        float[][] arenas = [.. Enumerable.Range(0, pool.Workers).Select(_ => GC.AllocateArray<float>(arenaFloats + 16, pinned: true))];
        float[][] scratch = [.. Enumerable.Range(0, pool.Workers).Select(_ => GC.AllocateArray<float>(scratchFloats + 16, pinned: true))];
        _state = new RunState(Addresses(_outputData), Addresses(arenas), Addresses(scratch), Addresses(constants), Addresses(batched));
        _keepAlive = [.. arenas, .. scratch, .. constants, .. batched];
        _imageJob = new ImageJob(this);
        _partJob = new PartJob(this);
        _batchJob = new BatchJob(this);
        ArenaBytes = (long)arenaFloats * sizeof(float);
    }

    public int Batch { get; }

    public string InputName => _input.Name;

    /// <summary>The input shape this model was compiled for, batch first (e.g. [1, 256, 256, 3]).</summary>
    public IReadOnlyList<int> InputShape => [Batch, .. _input.Shape.Skip(1)];

    public IReadOnlyList<string> OutputNames => [.. _outputs.Select(o => o.Name)];

    /// <summary>Bytes of one worker's activation arena.</summary>
    public long ArenaBytes { get; }

    /// <summary>The compiled steps, one line each: kind, name, output shape.</summary>
    public IReadOnlyList<string> Describe() =>
        [.. _steps.Select(s => $"{s.Kind,-20} [{string.Join(", ", s.Output.Shape)}] {s.Name}")];

    /// <summary>Compiles <paramref name="model"/> for inputs of <paramref name="batch"/> images, run on <paramref name="pool"/> (default: the shared pool).</summary>
    /// <exception cref="NotSupportedException">The model uses an op or pattern the compiled path has no kernel for (run it with OnnxExecutor).</exception>
    public static CompiledModel Compile(OnnxModel model, int batch, WorkerPool? pool = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        var plan = new PlanBuilder(model, batch);
        plan.Build();
        return new CompiledModel(plan, batch, pool ?? WorkerPool.Shared);
    }

    /// <summary>
    /// A model that shares this one's compiled steps and folded weights (read-only after compiling) but has its own
    /// outputs, arenas and scratch, run on <paramref name="pool"/> (default: the shared pool). Each of several
    /// threads can run its own sibling at the same time, with one copy of the weights and no second compile.
    /// </summary>
    public CompiledModel CreateSibling(WorkerPool? pool = null) =>
        new(_steps, _input, _outputs, _constants, _arenaFloats, _scratchFloats, _batchedGemm, _batchedLengths, Batch, pool ?? WorkerPool.Shared);

    /// <summary>Output <paramref name="index"/>'s shape, batch first.</summary>
    public IReadOnlyList<int> OutputShape(int index) => [Batch, .. _outputs[index].Shape.Skip(1)];

    /// <summary>Output <paramref name="index"/> of the last <see cref="Run(ReadOnlySpan{float})"/>, row-major in <see cref="OutputShape"/>.</summary>
    public ReadOnlySpan<float> Output(int index) => _outputData[index];

    /// <summary>Runs the model on <paramref name="input"/>, row-major in <see cref="InputShape"/>; read the results with <see cref="Output"/>.</summary>
    public void Run(ReadOnlySpan<float> input) => Run(input, Batch);

    /// <summary>
    /// Runs the model on the first <paramref name="images"/> images of a batch (1 &lt;= images &lt;= <see cref="Batch"/>):
    /// <paramref name="input"/> holds exactly those images, and rows images.. of each output keep their old values.
    /// </summary>
    public void Run(ReadOnlySpan<float> input, int images)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(images, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(images, Batch);
        CheckInput(input, images);
        fixed (float* pInput = input)
        {
            _state.Input = pInput;
            try
            {
                RunImages(0, Tail, images);
                if (Tail < _steps.Length)
                {
                    RunBatchedGemm(images);
                    RunImages(Tail + 1, _steps.Length, images);
                }
            }
            finally
            {
                _state.Input = null;
            }
        }
    }

    /// <summary>Runs the model <paramref name="runs"/> times step by step and returns each step's mean time, in execution order.</summary>
    public IReadOnlyList<StepTiming> Profile(ReadOnlySpan<float> input, int runs)
    {
        CheckInput(input, Batch);
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        var ticks = new long[_steps.Length];
        fixed (float* pInput = input)
        {
            _state.Input = pInput;
            for (int run = 0; run < runs; run++)
            {
                ProfileImages(0, Tail, ticks);
                if (Tail < _steps.Length)
                {
                    long start = Stopwatch.GetTimestamp();
                    RunBatchedGemm(Batch);
                    ticks[Tail] += Stopwatch.GetTimestamp() - start;
                    ProfileImages(Tail + 1, _steps.Length, ticks);
                }
            }

            _state.Input = null;
        }

        return [.. _steps.Select((s, i) => new StepTiming(s.Name, s.Kind, ticks[i] * 1000.0 / Stopwatch.Frequency / runs))];
    }

    /// <summary>Addresses of pinned arrays.</summary>
    private static float*[] Addresses(float[][] arrays)
    {
        var addresses = new float*[arrays.Length];
        for (int i = 0; i < arrays.Length; i++)
        {
            addresses[i] = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(arrays[i]));
        }

        return addresses;
    }

    private void CheckInput(ReadOnlySpan<float> input, int images)
    {
        long expected = (long)_input.Length * images;
        if (input.Length != expected)
        {
            throw new ArgumentException($"Input '{_input.Name}' has {input.Length} values; [{string.Join(", ", [images, .. _input.Shape.Skip(1)])}] needs {expected}.", nameof(input));
        }
    }

    /// <summary>Where the image-by-image steps stop for the batched dense layer (<see cref="PlanBuilder.BatchedGemm"/>), or the step count when there is none.</summary>
    private int Tail => _batchedGemm < 0 ? _steps.Length : _batchedGemm;

    /// <summary>Steps [from, to) for each of the first <paramref name="images"/> images, whole images in parallel when there are workers to spare.</summary>
    private void RunImages(int from, int to, int images)
    {
        if (images > 1 && _pool.Workers > 1)
        {
            _imageJob.Set(from, to);
            _pool.Run(_imageJob, images);
            return;
        }

        for (int image = 0; image < images; image++)
        {
            for (int i = from; i < to; i++)
            {
                RunStep(_steps[i], image);
            }
        }
    }

    /// <summary>The batched dense layer (<see cref="PlanBuilder.BatchedGemm"/>) for the first <paramref name="images"/> images, its outputs split over the workers.</summary>
    private void RunBatchedGemm(int images)
    {
        var gemm = (GemmStep)_steps[_batchedGemm];
        int parts = _pool.Workers > 1 ? gemm.BatchParts(_pool.Workers) : 1;
        if (parts == 1)
        {
            gemm.ExecuteBatch(_state, images, 0, 1);
            return;
        }

        _batchJob.Set(images, parts);
        _pool.Run(_batchJob, parts);
    }

    private void ProfileImages(int from, int to, long[] ticks)
    {
        for (int image = 0; image < Batch; image++)
        {
            for (int i = from; i < to; i++)
            {
                long start = Stopwatch.GetTimestamp();
                RunStep(_steps[i], image);
                ticks[i] += Stopwatch.GetTimestamp() - start;
            }
        }
    }

    private void RunStep(Step step, int image)
    {
        int parts = _pool.Workers > 1 ? step.Parts(_pool.Workers) : 1;
        if (parts == 1)
        {
            step.Execute(_state, image, 0, 0, 0, 1);
            return;
        }

        _partJob.Set(step, image, parts);
        _pool.Run(_partJob, parts);
    }

    /// <summary>One image per item: the steps of the current range, on the worker's own arena and scratch.</summary>
    private sealed class ImageJob(CompiledModel model) : IParallelJob
    {
        private int _from;
        private int _to;

        public void Set(int from, int to)
        {
            _from = from;
            _to = to;
        }

        // NOTE: fully optimised from the start, so the JIT never instruments this loop's virtual call. With dynamic PGO,
        // big_XCEPTION on two workers ran at 144 ms per batch of 64 instead of 50 once the instrumented version was in
        // use (BenchmarkDotNet showed 2.46 x ORT); with guarded devirtualization off it did not. Native AOT is unaffected.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Execute(int item, int worker)
        {
            for (int i = _from; i < _to; i++)
            {
                model._steps[i].Execute(model._state, item, worker, worker, 0, 1);
            }
        }
    }

    /// <summary>One part of the batched dense layer's outputs per item.</summary>
    private sealed class BatchJob(CompiledModel model) : IParallelJob
    {
        private int _images;
        private int _parts;

        public void Set(int images, int parts)
        {
            _images = images;
            _parts = parts;
        }

        public void Execute(int item, int worker) => ((GemmStep)model._steps[model._batchedGemm]).ExecuteBatch(model._state, _images, item, _parts);
    }

    /// <summary>One part of one step of one image per item.</summary>
    private sealed class PartJob(CompiledModel model) : IParallelJob
    {
        private Step _step = null!;
        private int _image;
        private int _parts;

        public void Set(Step step, int image, int parts)
        {
            _step = step;
            _image = image;
            _parts = parts;
        }

        public void Execute(int item, int worker) => _step.Execute(model._state, _image, 0, worker, item, _parts);
    }
}
