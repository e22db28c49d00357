using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using InMood.Engine.Threading;

namespace InMood.Engine.Diagnostics;

/// <summary>
/// Measures this machine's fp32 FMA peak: every worker runs a loop of independent fused multiply-adds
/// at the widest accelerated vector width (12 accumulator chains, enough to cover FMA latency on
/// two FMA pipes). GFLOP/s = 2 x lanes x FMAs / seconds, summed over workers.
/// </summary>
public static class FmaPeak
{
    private const int Chains = 12;

    /// <summary>Returns the peak in GFLOP/s over the pool's workers, best of <paramref name="repeats"/> runs.</summary>
    public static double Measure(WorkerPool pool, int repeats = 5, long iterations = 20_000_000)
    {
        var job = new PeakJob(iterations);
        double best = 0;
        for (int r = 0; r < repeats; r++)
        {
            long start = Stopwatch.GetTimestamp();
            pool.Run(job, pool.Workers);
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            best = Math.Max(best, 2.0 * Chains * job.Lanes * iterations * pool.Workers / seconds / 1e9);
        }

        return best;
    }

    private sealed class PeakJob(long iterations) : IParallelJob
    {
        public float Sink;

        public int Lanes =>
            Vector512.IsHardwareAccelerated ? Vector512<float>.Count
            : Vector256.IsHardwareAccelerated ? Vector256<float>.Count
            : Vector128.IsHardwareAccelerated ? Vector128<float>.Count
            : 1;

        public void Execute(int item, int worker)
        {
            float result = Vector512.IsHardwareAccelerated ? Run512(iterations)
                : Vector256.IsHardwareAccelerated ? Run256(iterations)
                : Vector128.IsHardwareAccelerated ? Run128(iterations)
                : RunScalar(iterations);
            Sink += result;
        }

        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private static float Run512(long iterations)
        {
            Vector512<float> m = Vector512.Create(0.999999f), x = Vector512.Create(1e-6f);
            Vector512<float> a0 = x, a1 = x, a2 = x, a3 = x, a4 = x, a5 = x, a6 = x, a7 = x, a8 = x, a9 = x, a10 = x, a11 = x;
            for (long i = 0; i < iterations; i++)
            {
                a0 = Vector512.FusedMultiplyAdd(a0, m, x);
                a1 = Vector512.FusedMultiplyAdd(a1, m, x);
                a2 = Vector512.FusedMultiplyAdd(a2, m, x);
                a3 = Vector512.FusedMultiplyAdd(a3, m, x);
                a4 = Vector512.FusedMultiplyAdd(a4, m, x);
                a5 = Vector512.FusedMultiplyAdd(a5, m, x);
                a6 = Vector512.FusedMultiplyAdd(a6, m, x);
                a7 = Vector512.FusedMultiplyAdd(a7, m, x);
                a8 = Vector512.FusedMultiplyAdd(a8, m, x);
                a9 = Vector512.FusedMultiplyAdd(a9, m, x);
                a10 = Vector512.FusedMultiplyAdd(a10, m, x);
                a11 = Vector512.FusedMultiplyAdd(a11, m, x);
            }

            return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
        }

        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private static float Run256(long iterations)
        {
            Vector256<float> m = Vector256.Create(0.999999f), x = Vector256.Create(1e-6f);
            Vector256<float> a0 = x, a1 = x, a2 = x, a3 = x, a4 = x, a5 = x, a6 = x, a7 = x, a8 = x, a9 = x, a10 = x, a11 = x;
            for (long i = 0; i < iterations; i++)
            {
                a0 = Vector256.MultiplyAddEstimate(a0, m, x);
                a1 = Vector256.MultiplyAddEstimate(a1, m, x);
                a2 = Vector256.MultiplyAddEstimate(a2, m, x);
                a3 = Vector256.MultiplyAddEstimate(a3, m, x);
                a4 = Vector256.MultiplyAddEstimate(a4, m, x);
                a5 = Vector256.MultiplyAddEstimate(a5, m, x);
                a6 = Vector256.MultiplyAddEstimate(a6, m, x);
                a7 = Vector256.MultiplyAddEstimate(a7, m, x);
                a8 = Vector256.MultiplyAddEstimate(a8, m, x);
                a9 = Vector256.MultiplyAddEstimate(a9, m, x);
                a10 = Vector256.MultiplyAddEstimate(a10, m, x);
                a11 = Vector256.MultiplyAddEstimate(a11, m, x);
            }

            return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
        }

        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private static float Run128(long iterations)
        {
            Vector128<float> m = Vector128.Create(0.999999f), x = Vector128.Create(1e-6f);
            Vector128<float> a0 = x, a1 = x, a2 = x, a3 = x, a4 = x, a5 = x, a6 = x, a7 = x, a8 = x, a9 = x, a10 = x, a11 = x;
            for (long i = 0; i < iterations; i++)
            {
                a0 = Vector128.MultiplyAddEstimate(a0, m, x);
                a1 = Vector128.MultiplyAddEstimate(a1, m, x);
                a2 = Vector128.MultiplyAddEstimate(a2, m, x);
                a3 = Vector128.MultiplyAddEstimate(a3, m, x);
                a4 = Vector128.MultiplyAddEstimate(a4, m, x);
                a5 = Vector128.MultiplyAddEstimate(a5, m, x);
                a6 = Vector128.MultiplyAddEstimate(a6, m, x);
                a7 = Vector128.MultiplyAddEstimate(a7, m, x);
                a8 = Vector128.MultiplyAddEstimate(a8, m, x);
                a9 = Vector128.MultiplyAddEstimate(a9, m, x);
                a10 = Vector128.MultiplyAddEstimate(a10, m, x);
                a11 = Vector128.MultiplyAddEstimate(a11, m, x);
            }

            return Vector128.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static float RunScalar(long iterations)
        {
            float a0 = 1e-6f, a1 = 1e-6f, a2 = 1e-6f, a3 = 1e-6f, a4 = 1e-6f, a5 = 1e-6f, a6 = 1e-6f, a7 = 1e-6f, a8 = 1e-6f, a9 = 1e-6f, a10 = 1e-6f, a11 = 1e-6f;
            for (long i = 0; i < iterations; i++)
            {
                a0 = a0 * 0.999999f + 1e-6f;
                a1 = a1 * 0.999999f + 1e-6f;
                a2 = a2 * 0.999999f + 1e-6f;
                a3 = a3 * 0.999999f + 1e-6f;
                a4 = a4 * 0.999999f + 1e-6f;
                a5 = a5 * 0.999999f + 1e-6f;
                a6 = a6 * 0.999999f + 1e-6f;
                a7 = a7 * 0.999999f + 1e-6f;
                a8 = a8 * 0.999999f + 1e-6f;
                a9 = a9 * 0.999999f + 1e-6f;
                a10 = a10 * 0.999999f + 1e-6f;
                a11 = a11 * 0.999999f + 1e-6f;
            }

            return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
        }
    }
}
