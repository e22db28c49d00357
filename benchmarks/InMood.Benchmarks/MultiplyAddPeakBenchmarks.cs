using BenchmarkDotNet.Attributes;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace InMood.Benchmarks;

/// <summary>
/// The ceiling of an int16 inference path against fp32 on one core: 12 independent accumulator chains of 512-bit
/// fp32 FMAs (16 multiply-adds an instruction, the baseline) against 12 chains of int16 pair multiply-adds
/// (<c>vpmaddwd</c>, 32 multiply-adds into 16 int32 lanes) followed by an int32 add. .NET 10 exposes no AVX-512 VNNI
/// (<c>vpdpwssd</c>/<c>vpdpbusd</c>), so this pair is the widest integer multiply-add it can issue. Both run
/// <see cref="Iterations"/> steps; multiply-adds per second = chains x lanes x iterations / time.
/// </summary>
[SimpleJob(warmupCount: 2, iterationCount: 8)]
public class MultiplyAddPeakBenchmarks
{
    /// <summary>Loop steps per invocation (each step issues one instruction per chain).</summary>
    public const int Iterations = 1_000_000;

    [GlobalSetup]
    public void Setup()
    {
        if (!Avx512BW.IsSupported)
        {
            throw new PlatformNotSupportedException("MultiplyAddPeakBenchmarks needs AVX-512 BW.");
        }
    }

    [Benchmark(Baseline = true, Description = "fp32 FMA, 12 x 16 lanes")]
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public float Fp32()
    {
        Vector512<float> m = Vector512.Create(0.999999f), x = Vector512.Create(1e-6f);
        Vector512<float> a0 = x, a1 = x, a2 = x, a3 = x, a4 = x, a5 = x, a6 = x, a7 = x, a8 = x, a9 = x, a10 = x, a11 = x;
        for (int i = 0; i < Iterations; i++)
        {
            a0 = Avx512F.FusedMultiplyAdd(a0, m, x);
            a1 = Avx512F.FusedMultiplyAdd(a1, m, x);
            a2 = Avx512F.FusedMultiplyAdd(a2, m, x);
            a3 = Avx512F.FusedMultiplyAdd(a3, m, x);
            a4 = Avx512F.FusedMultiplyAdd(a4, m, x);
            a5 = Avx512F.FusedMultiplyAdd(a5, m, x);
            a6 = Avx512F.FusedMultiplyAdd(a6, m, x);
            a7 = Avx512F.FusedMultiplyAdd(a7, m, x);
            a8 = Avx512F.FusedMultiplyAdd(a8, m, x);
            a9 = Avx512F.FusedMultiplyAdd(a9, m, x);
            a10 = Avx512F.FusedMultiplyAdd(a10, m, x);
            a11 = Avx512F.FusedMultiplyAdd(a11, m, x);
        }

        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [Benchmark(Description = "int16 vpmaddwd + vpaddd, 12 x 32 lanes")]
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public int Int16()
    {
        // NOTE: twelve different weight vectors, so the JIT cannot merge identical multiply-adds of different chains.
        Vector512<short> x = Vector512.Create((short)5);
        Vector512<short> w0 = Vector512.Create((short)1), w1 = Vector512.Create((short)2), w2 = Vector512.Create((short)3);
        Vector512<short> w3 = Vector512.Create((short)4), w4 = Vector512.Create((short)5), w5 = Vector512.Create((short)6);
        Vector512<short> w6 = Vector512.Create((short)7), w7 = Vector512.Create((short)8), w8 = Vector512.Create((short)9);
        Vector512<short> w9 = Vector512.Create((short)10), w10 = Vector512.Create((short)11), w11 = Vector512.Create((short)12);
        Vector512<int> a0 = default, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (int i = 0; i < Iterations; i++)
        {
            a0 = Avx512BW.Add(a0, Avx512BW.MultiplyAddAdjacent(x, w0));
            a1 = Avx512BW.Add(a1, Avx512BW.MultiplyAddAdjacent(x, w1));
            a2 = Avx512BW.Add(a2, Avx512BW.MultiplyAddAdjacent(x, w2));
            a3 = Avx512BW.Add(a3, Avx512BW.MultiplyAddAdjacent(x, w3));
            a4 = Avx512BW.Add(a4, Avx512BW.MultiplyAddAdjacent(x, w4));
            a5 = Avx512BW.Add(a5, Avx512BW.MultiplyAddAdjacent(x, w5));
            a6 = Avx512BW.Add(a6, Avx512BW.MultiplyAddAdjacent(x, w6));
            a7 = Avx512BW.Add(a7, Avx512BW.MultiplyAddAdjacent(x, w7));
            a8 = Avx512BW.Add(a8, Avx512BW.MultiplyAddAdjacent(x, w8));
            a9 = Avx512BW.Add(a9, Avx512BW.MultiplyAddAdjacent(x, w9));
            a10 = Avx512BW.Add(a10, Avx512BW.MultiplyAddAdjacent(x, w10));
            a11 = Avx512BW.Add(a11, Avx512BW.MultiplyAddAdjacent(x, w11));
            x = Avx512BW.Add(x, Vector512<short>.One);
        }

        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
