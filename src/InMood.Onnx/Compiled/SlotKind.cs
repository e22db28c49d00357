namespace InMood.Onnx.Compiled;

/// <summary>Where a planned value lives.</summary>
internal enum SlotKind
{
    /// <summary>Not placed yet (the planner has not run).</summary>
    Unplaced,

    /// <summary>The caller's input span, one image after another.</summary>
    Input,

    /// <summary>One of the model's output arrays, one image after another.</summary>
    Output,

    /// <summary>An offset into the running worker's arena (one image at a time).</summary>
    Arena,

    /// <summary>A folded constant, the same for every image.</summary>
    Constant,

    /// <summary>
    /// A model-level buffer holding every image's copy, one after another: the values that cross into or out of the
    /// batched dense layer (see <see cref="PlanBuilder.BatchedGemm"/>), which outlive one image's pass over the arena.
    /// </summary>
    Batched,
}
