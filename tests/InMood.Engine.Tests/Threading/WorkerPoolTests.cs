using InMood.Engine.Threading;

namespace InMood.Engine.Tests.Threading;

public class WorkerPoolTests
{
    [Fact]
    public void Run_ManyShortJobsBackToBack_EveryItemIsDoneBeforeRunReturns()
    {
        // NOTE: back-to-back tiny jobs with uneven item times stress the hand-over between jobs, where an earlier
        // version could let a wake-up left over from one job end the next job's wait early (seen once under load).
        using var pool = new WorkerPool(3);
        var job = new CountingJob();
        for (int round = 0; round < 20_000; round++)
        {
            job.Reset(round);

            pool.Run(job, 2 + round % 3);

            Assert.Equal(2 + round % 3, job.Completed);
        }
    }

    [Fact]
    public void Run_ItemsAndWorkers_EachItemRunsExactlyOnceOnAValidWorker()
    {
        using var pool = new WorkerPool(4);
        var job = new RecordingJob(1000, pool.Workers);

        pool.Run(job, 1000);

        Assert.All(job.Runs, count => Assert.Equal(1, count));
        Assert.False(job.BadWorker);
    }

    [Fact]
    public void Run_ItemThrows_RethrowsOnCallerAndThePoolKeepsWorking()
    {
        using var pool = new WorkerPool(2);
        var failing = new FailingJob(failAt: 37);
        var counting = new CountingJob();

        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => pool.Run(failing, 100));
        pool.Run(counting, 50);

        Assert.Equal("item 37", e.Message);
        Assert.Equal(50, counting.Completed);
    }

    [Fact]
    public void Dispose_SingleWorkerPoolTwice_DoesNotThrow()
    {
        var pool = new WorkerPool(1);

        pool.Dispose();
        pool.Dispose();

        Assert.Equal(1, pool.Workers);
    }

    private sealed class CountingJob : IParallelJob
    {
        private int _completed;
        private int _round;

        public int Completed => Volatile.Read(ref _completed);

        public void Reset(int round)
        {
            _completed = 0;
            _round = round;
        }

        public void Execute(int item, int worker)
        {
            Thread.SpinWait((item * 7 + _round) % 5 * 50);
            Interlocked.Increment(ref _completed);
        }
    }

    private sealed class FailingJob(int failAt) : IParallelJob
    {
        public void Execute(int item, int worker)
        {
            if (item == failAt)
            {
                throw new InvalidOperationException($"item {item}");
            }
        }
    }

    private sealed class RecordingJob(int items, int workers) : IParallelJob
    {
        public int[] Runs { get; } = new int[items];

        public bool BadWorker { get; private set; }

        public void Execute(int item, int worker)
        {
            Interlocked.Increment(ref Runs[item]);
            if (worker < 0 || worker >= workers)
            {
                BadWorker = true;
            }
        }
    }
}
