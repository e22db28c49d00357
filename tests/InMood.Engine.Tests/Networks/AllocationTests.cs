using InMood.Engine.Networks;
using InMood.Engine.Threading;

namespace InMood.Engine.Tests.Networks;

/// <summary>Zero-allocation checks of warm passes; they run alone so no other test shares the engine's worker threads.</summary>
[Collection(nameof(AllocationTests))]
[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public class AllocationTests
{
    [Fact]
    public void Forward_Warm_AllocatesZeroBytes()
    {
        Network network = StandardNetworks.FerVgg().FoldForInference();
        float[] x = TestData.Random(2 * 48 * 48, 1);
        // NOTE: enough warm-up passes for tiered compilation to finish re-jitting the hot methods.
        for (int i = 0; i < 40; i++)
        {
            network.Forward(x, 2, training: false);
        }

        long allocated = BytesOfTwentyCalls(() => network.Forward(x, 2, training: false));

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

        long allocated = BytesOfTwentyCalls(Step);

        Assert.Equal(0, allocated);
    }

    /// <summary>
    /// Bytes allocated by twenty calls on the calling thread and the engine's worker threads.
    /// NOTE: GC.GetTotalAllocatedBytes would also count the test host's own threads, which allocate now and then.
    /// </summary>
    private static long BytesOfTwentyCalls(Action call)
    {
        WorkerPool pool = WorkerPool.Shared;
        long before = GC.GetAllocatedBytesForCurrentThread() + pool.HelperAllocatedBytes;
        for (int i = 0; i < 20; i++)
        {
            call();
        }

        return GC.GetAllocatedBytesForCurrentThread() + pool.HelperAllocatedBytes - before;
    }
}
