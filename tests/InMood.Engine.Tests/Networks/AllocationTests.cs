using InMood.Engine.Networks;

namespace InMood.Engine.Tests.Networks;

/// <summary>
/// Zero-allocation checks. GC.GetTotalAllocatedBytes counts every thread (the engine's workers included), so
/// these tests run in a collection that xunit never runs beside other tests.
/// </summary>
[Collection(nameof(AllocationTests))]
[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public class AllocationTests
{
    [Fact]
    public void Forward_Warm_AllocatesZeroBytes()
    {
        Network network = StandardNetworks.FerVgg().FoldForInference();
        float[] x = TestData.Random(8 * 48 * 48, 1);
        // NOTE: enough warm-up passes for tiered compilation to finish re-jitting the hot methods.
        for (int i = 0; i < 40; i++)
        {
            network.Forward(x, 8, training: false);
        }

        long allocated = FewestBytesOverFiveWindows(() => network.Forward(x, 8, training: false));

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void TrainingStep_Warm_AllocatesZeroBytes()
    {
        Network network = StandardNetworks.FerVgg();
        float[] x = TestData.Random(4 * 48 * 48, 1);
        float[] dy = TestData.Random(4 * 7, 2);
        void Step()
        {
            network.ZeroGrad();
            network.Forward(x, 4, training: true);
            network.Backward(dy);
        }

        for (int i = 0; i < 40; i++)
        {
            Step();
        }

        long allocated = FewestBytesOverFiveWindows(Step);

        Assert.Equal(0, allocated);
    }

    /// <summary>
    /// Allocated bytes of one call, the fewest over five calls.
    /// NOTE: the count covers every thread of the process, and the test host's own threads allocate now and then;
    /// a call that allocated would show up in every window, so the minimum is the call's own allocation.
    /// </summary>
    private static long FewestBytesOverFiveWindows(Action call)
    {
        long fewest = long.MaxValue;
        for (int window = 0; window < 5; window++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            call();
            fewest = Math.Min(fewest, GC.GetTotalAllocatedBytes(precise: true) - before);
        }

        return fewest;
    }
}
