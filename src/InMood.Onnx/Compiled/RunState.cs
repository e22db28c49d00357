namespace InMood.Onnx.Compiled;

/// <summary>
/// The addresses a compiled run reads and writes: the caller's input, the output arrays, each worker's
/// arena and scratch, the folded constants. Every buffer is pinned, so its address is stable.
/// </summary>
internal sealed unsafe class RunState
{
    public RunState(float*[] outputs, float*[] arenas, float*[] scratch, float*[] constants, float*[] batched)
    {
        Batched = batched;
        Outputs = outputs;
        Arenas = arenas;
        Scratch = scratch;
        Constants = constants;
    }

    /// <summary>The input span of the current run, [batch, image elements].</summary>
    public float* Input { get; set; }

    public float*[] Outputs { get; }

    public float*[] Arenas { get; }

    public float*[] Scratch { get; }

    public float*[] Constants { get; }

    /// <summary>The buffers of <see cref="SlotKind.Batched"/> values, [batch, slot length] each.</summary>
    public float*[] Batched { get; }

    /// <summary>The address of <paramref name="slot"/> for image <paramref name="image"/> in arena <paramref name="arena"/>.</summary>
    public float* Address(Slot slot, int image, int arena)
    {
        Slot storage = slot.Storage;
        return storage.Kind switch
        {
            SlotKind.Input => Input + ((long)image * storage.Length),
            SlotKind.Output => Outputs[storage.Index] + ((long)image * storage.Length),
            SlotKind.Arena => Arenas[arena] + storage.Offset,
            SlotKind.Batched => Batched[storage.Index] + ((long)image * storage.Length),
            _ => Constants[storage.Index],
        };
    }
}
