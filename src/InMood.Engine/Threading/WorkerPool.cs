using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace InMood.Engine.Threading;

/// <summary>
/// A fixed set of worker threads that run <see cref="IParallelJob"/> items without allocating.
/// The calling thread is worker 0 and takes part; items are handed out by an atomic counter, so
/// uneven items balance themselves. One job runs at a time (calls are serialised by a lock).
/// </summary>
/// <remarks>
/// NOTE: Parallel.For allocates a closure and tasks per call, which breaks the zero-allocation
/// forward pass and costs tens of microseconds on small layers; this pool costs one wake-up.
/// </remarks>
public sealed class WorkerPool : IDisposable
{
    private static WorkerPool? s_shared;
    private static readonly Lock s_sharedLock = new();

    private readonly Thread[] _threads;
    private readonly long[] _helperAllocatedBytes;
    private readonly SemaphoreSlim _start;
    private readonly object _doneLock = new();
    private readonly Lock _runLock = new();
    private IParallelJob? _job;
    private ExceptionDispatchInfo? _failure;
    private int _count;
    private int _next;
    private int _pending;
    private volatile bool _disposed;

    public WorkerPool(int workers)
    {
        if (workers < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(workers), workers, "A pool needs at least one worker.");
        }

        Workers = workers;
        _start = new SemaphoreSlim(0, int.MaxValue);
        _threads = new Thread[workers - 1];
        _helperAllocatedBytes = new long[workers];
        for (int i = 0; i < _threads.Length; i++)
        {
            int worker = i + 1;
            _threads[i] = new Thread(() => WorkerLoop(worker)) { IsBackground = true, Name = $"InMood worker {worker}" };
            _threads[i].Start();
        }
    }

    /// <summary>Number of workers, the calling thread included.</summary>
    public int Workers { get; }

    /// <summary>
    /// Bytes allocated so far by this pool's own threads (not the calling thread), as each last saw its counter
    /// after a job; with the caller's GC.GetAllocatedBytesForCurrentThread it accounts for a parallel pass exactly,
    /// unlike GC.GetTotalAllocatedBytes, which also counts unrelated threads of the process.
    /// </summary>
    public long HelperAllocatedBytes
    {
        get
        {
            long sum = 0;
            for (int i = 0; i < _helperAllocatedBytes.Length; i++)
            {
                sum += Volatile.Read(ref _helperAllocatedBytes[i]);
            }

            return sum;
        }
    }

    /// <summary>
    /// The process-wide pool used by layers. Its size is <see cref="Environment.ProcessorCount"/>
    /// until <see cref="SetSharedWorkers"/> changes it.
    /// </summary>
    public static WorkerPool Shared => Volatile.Read(ref s_shared) ?? CreateShared();

    /// <summary>Creates the shared pool on first use (every layer call reads <see cref="Shared"/>, so it takes no lock after that).</summary>
    private static WorkerPool CreateShared()
    {
        lock (s_sharedLock)
        {
            return s_shared ??= new WorkerPool(Environment.ProcessorCount);
        }
    }

    /// <summary>
    /// Makes the shared pool one of <paramref name="workers"/> workers (e.g. from --threads). The previous pool is
    /// left running: objects that captured it (compiled models, detectors) keep working.
    /// </summary>
    public static void SetSharedWorkers(int workers)
    {
        lock (s_sharedLock)
        {
            if (s_shared is null || s_shared.Workers != workers)
            {
                Volatile.Write(ref s_shared, new WorkerPool(workers));
            }
        }
    }

    /// <summary>
    /// Runs job.Execute(item, worker) for every item in [0, count) and returns when all are done; if an item throws,
    /// the remaining items are skipped and the first exception is rethrown here.
    /// </summary>
    public void Run(IParallelJob job, int count)
    {
        if (count <= 0)
        {
            return;
        }

        if (count == 1 || Workers == 1)
        {
            for (int item = 0; item < count; item++)
            {
                job.Execute(item, 0);
            }

            return;
        }

        lock (_runLock)
        {
            int helpers = Math.Min(Workers - 1, count - 1);
            _job = job;
            _count = count;
            _next = 0;
            _pending = helpers;
            _start.Release(helpers);
            Drain(job, 0);
            WaitForHelpers();
            _job = null;
            ExceptionDispatchInfo? failure = _failure;
            _failure = null;
            failure?.Throw();
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_threads.Length > 0)
        {
            _start.Release(_threads.Length);
        }
    }

    private void WorkerLoop(int worker)
    {
        while (true)
        {
            _start.Wait();
            if (_disposed)
            {
                return;
            }

            IParallelJob? job = _job;
            Debug.Assert(job is not null);
            Drain(job, worker);
            Volatile.Write(ref _helperAllocatedBytes[worker], GC.GetAllocatedBytesForCurrentThread());
            if (Interlocked.Decrement(ref _pending) == 0)
            {
                lock (_doneLock)
                {
                    Monitor.PulseAll(_doneLock);
                }
            }
        }
    }

    /// <summary>
    /// Returns once every helper has finished the current job. The condition is the counter itself, re-checked
    /// under the lock before sleeping, so a wake-up meant for an earlier job can never end this wait early.
    /// </summary>
    private void WaitForHelpers()
    {
        var spin = new SpinWait();
        while (Volatile.Read(ref _pending) != 0)
        {
            if (!spin.NextSpinWillYield)
            {
                spin.SpinOnce();
                continue;
            }

            lock (_doneLock)
            {
                while (Volatile.Read(ref _pending) != 0)
                {
                    Monitor.Wait(_doneLock);
                }
            }
        }
    }

    /// <summary>
    /// Runs items until none are left. An exception stops the hand-out of further items and is rethrown to the
    /// caller of <see cref="Run"/> once every helper has stopped, so a failing job never leaves a helper behind.
    /// </summary>
    private void Drain(IParallelJob job, int worker)
    {
        int item;
        while ((item = Interlocked.Increment(ref _next) - 1) < _count)
        {
            try
            {
                job.Execute(item, worker);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
                Volatile.Write(ref _next, int.MaxValue / 2);
            }
        }
    }
}
