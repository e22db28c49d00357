namespace InMood.Onnx.Tests.Compiled;

/// <summary>
/// Tests that count process-wide allocations. NOTE: GC.GetTotalAllocatedBytes also counts every other test running
/// at the same time (the mutated-file fuzzing allocates for seconds), so these run alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationCollection
{
    public const string Name = "Process-wide allocation counts";
}
