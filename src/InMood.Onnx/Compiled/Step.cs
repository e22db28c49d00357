namespace InMood.Onnx.Compiled;

/// <summary>
/// One kernel call of a compiled model, applied to one image. A step may split its work into parts
/// (output channels or column ranges) that workers run in parallel when the batch is 1.
/// </summary>
internal abstract unsafe class Step(string name, Slot[] inputs, Slot output)
{
    /// <summary>The ONNX node (or fused chain) this step runs, for profiles and errors.</summary>
    public string Name { get; } = name;

    public Slot[] Inputs { get; } = inputs;

    public Slot Output { get; } = output;

    /// <summary>The op, e.g. "Conv+Add+Relu".</summary>
    public abstract string Kind { get; }

    /// <summary>
    /// FLOPs each part of a split step gets at least (tens of microseconds): below that, waking another worker costs
    /// about what it saves (BlazeFace-128 on 2 threads runs at 0.72-0.86 of ORT's time with it, 0.82-0.83 with a
    /// tenth of it, and at half the CPU).
    /// </summary>
    protected const long FlopsPerPart = 4_000_000;

    /// <summary>Floats of per-worker scratch the step needs.</summary>
    public virtual int ScratchFloats => 0;

    /// <summary>How many parts to split one image into for <paramref name="workers"/> workers (1 = do not split).</summary>
    public virtual int Parts(int workers) => 1;

    /// <summary>
    /// Runs part <paramref name="part"/> of <paramref name="parts"/> of the step on one image, with values in
    /// arena <paramref name="arena"/> and scratch of worker <paramref name="worker"/> (parts of one image share an arena).
    /// </summary>
    public abstract void Execute(RunState state, int image, int arena, int worker, int part, int parts);

    /// <summary>A copy of <paramref name="values"/> on the pinned heap, whose address a step may hold for its lifetime.</summary>
    protected static T[] Pinned<T>(T[] values)
    {
        T[] pinned = GC.AllocateArray<T>(values.Length, pinned: true);
        values.CopyTo(pinned, 0);
        return pinned;
    }

    /// <summary>Splits [0, count) into <paramref name="parts"/> ranges aligned to <paramref name="unit"/> and returns range <paramref name="part"/>.</summary>
    protected static (int Begin, int End) Range(int count, int part, int parts, int unit)
    {
        int units = (count + unit - 1) / unit;
        int begin = (int)((long)units * part / parts) * unit;
        int end = (int)((long)units * (part + 1) / parts) * unit;
        return (Math.Min(begin, count), Math.Min(end, count));
    }
}
