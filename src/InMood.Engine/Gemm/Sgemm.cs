using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using InMood.Engine.Threading;

namespace InMood.Engine.Gemm;

/// <summary>
/// Single-precision GEMM, C = A B (+ C when accumulating), cache-blocked GotoBLAS-style:
/// B is packed in KC x NC blocks (L2), A in MC x KC blocks, and a register-tiled micro-kernel
/// computes MR x NR tiles of C from micro-panels.
/// Shapes: A [m, k], B [k, n], C [m, n]. A and B are strided views, element (i, j) at
/// ptr[i * rowStride + j * colStride], so transposed operands need no copy; C is row-major with row stride ldc.
/// </summary>
public static unsafe class Sgemm
{
    private const int KC = 256;
    private const int NC = 512;
    private const int MCPanels = 16;
    private const int DirectRows = 128;

    [ThreadStatic]
    private static float[]? t_packA;

    [ThreadStatic]
    private static float[]? t_packB;

    private static readonly Lock s_parallelLock = new();
    private static readonly ParallelGemmJob s_parallelJob = new();

    /// <summary>C = A B (+ C) with the widest kernel on this machine, on the calling thread.</summary>
    public static void Multiply(int m, int n, int k, float* a, int rsA, int csA, float* b, int rsB, int csB, float* c, int ldc, bool accumulate)
        => Multiply(GemmKernels.Best, m, n, k, a, rsA, csA, b, rsB, csB, c, ldc, accumulate);

    /// <summary>Row-major span overload: A [m, k] (or [k, m] when transposeA), B [k, n] (or [n, k] when transposeB), C [m, n].</summary>
    public static void Multiply(
        ReadOnlySpan<float> a, bool transposeA, ReadOnlySpan<float> b, bool transposeB, Span<float> c,
        int m, int n, int k, bool accumulate, GemmKernel kernel)
    {
        if (a.Length < m * k || b.Length < k * n || c.Length < m * n)
        {
            throw new ArgumentException($"GEMM [{m}x{k}] x [{k}x{n}] needs spans of {m * k}, {k * n} and {m * n}; got {a.Length}, {b.Length} and {c.Length}.");
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            Multiply(
                kernel, m, n, k,
                pa, transposeA ? 1 : k, transposeA ? m : 1,
                pb, transposeB ? 1 : n, transposeB ? k : 1,
                pc, n, accumulate);
        }
    }

    /// <summary>C = A B (+ C) with the given micro-kernel, on the calling thread.</summary>
    public static void Multiply(
        GemmKernel kernel, int m, int n, int k,
        float* a, int rsA, int csA, float* b, int rsB, int csB, float* c, int ldc, bool accumulate)
    {
        Debug.Assert(m >= 0 && n >= 0 && k >= 0);
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                for (int i = 0; i < m; i++)
                {
                    new Span<float>(c + (long)i * ldc, n).Clear();
                }
            }

            return;
        }

        int mr = GemmKernels.Rows(kernel);
        int nr = GemmKernels.Columns(kernel);
        int mc = mr * MCPanels;
        float* edge = stackalloc float[8 * 32];

        // NOTE: packing B pays off only when each B panel meets many A panels. With few rows of C (a conv's output
        // channels) packing costs as much as the multiply, so row-contiguous B is read in place; only a ragged
        // last panel is packed (zero-padded to NR).
        bool direct = csB == 1 && m <= DirectRows;
        fixed (float* pA = PackBufferA, pB = PackBufferB)
        {
            for (int jc = 0; jc < n; jc += NC)
            {
                int nc = Math.Min(NC, n - jc);
                for (int pc = 0; pc < k; pc += KC)
                {
                    int kc = Math.Min(KC, k - pc);
                    bool acc = accumulate || pc > 0;
                    float* bBlock = b + (long)pc * rsB + (long)jc * csB;
                    if (!direct)
                    {
                        PackB(bBlock, rsB, csB, kc, nc, nr, pB);
                    }

                    for (int ic = 0; ic < m; ic += mc)
                    {
                        int mcCur = Math.Min(mc, m - ic);
                        PackA(a + (long)ic * rsA + (long)pc * csA, rsA, csA, mcCur, kc, mr, pA);
                        for (int jr = 0; jr < nc; jr += nr)
                        {
                            int nrCur = Math.Min(nr, nc - jr);
                            float* bPanel = pB + (long)jr * kc;
                            int ldb = nr;
                            if (direct && nrCur == nr)
                            {
                                bPanel = bBlock + jr;
                                ldb = rsB;
                            }
                            else if (direct && ic == 0)
                            {
                                PackB(bBlock + jr, rsB, csB, kc, nrCur, nr, bPanel);
                            }

                            MultiplyPanel(kernel, kc, pA, mcCur, bPanel, ldb, nrCur, c + (long)ic * ldc + jc + jr, ldc, acc, edge);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// C = A B (+ C) where row p of B is the contiguous run b[rowOffsets[p] + j], j &lt; n: an implicit GEMM, since
    /// the im2col rows of a stride-1 convolution are shifted views of its padded input and need not be copied out.
    /// Each B micro-panel (KC rows x NR columns) is gathered into a small buffer right before the micro-kernels use
    /// it, so it is read from L1 by every A panel. Shapes: A [m, k] strided, B [k, n], C [m, n] with row stride ldc.
    /// Every row of B must be readable up to n rounded up to a multiple of NR (the extra columns are discarded).
    /// </summary>
    public static void MultiplyRowOffsets(
        GemmKernel kernel, int m, int n, int k, float* a, int rsA, int csA, float* b, int* rowOffsets, float* c, int ldc, bool accumulate)
    {
        Debug.Assert(m > 0 && n > 0 && k > 0);
        int mr = GemmKernels.Rows(kernel);
        int nr = GemmKernels.Columns(kernel);
        int mc = mr * MCPanels;
        float* edge = stackalloc float[8 * 32];
        fixed (float* pA = PackBufferA, pB = PackBufferB)
        {
            for (int pc = 0; pc < k; pc += KC)
            {
                int kc = Math.Min(KC, k - pc);
                bool acc = accumulate || pc > 0;
                for (int ic = 0; ic < m; ic += mc)
                {
                    int mcCur = Math.Min(mc, m - ic);
                    PackA(a + (long)ic * rsA + (long)pc * csA, rsA, csA, mcCur, kc, mr, pA);
                    for (int jr = 0; jr < n; jr += nr)
                    {
                        int nrCur = Math.Min(nr, n - jr);
                        for (int p = 0; p < kc; p++)
                        {
                            CopyPanelRow(b + rowOffsets[pc + p] + jr, pB + p * nr, nr);
                        }

                        MultiplyPanel(kernel, kc, pA, mcCur, pB, nr, nrCur, c + (long)ic * ldc + jr, ldc, acc, edge);
                    }
                }
            }
        }
    }

    /// <summary>
    /// C = A B (+ C) split over the pool's workers along the longer of m and n, along m when they are equal: then each
    /// worker packs only its own rows of A (a 512^3 GEMM runs 3-4 points of peak faster split this way than along n).
    /// Same shapes and strides as <see cref="Multiply(int, int, int, float*, int, int, float*, int, int, float*, int, bool)"/>.
    /// </summary>
    public static void MultiplyParallel(
        WorkerPool pool, int m, int n, int k,
        float* a, int rsA, int csA, float* b, int rsB, int csB, float* c, int ldc, bool accumulate)
    {
        GemmKernel kernel = GemmKernels.Best;
        int workers = pool.Workers;
        if (workers == 1 || (long)m * n * k < 64 * 64 * 64)
        {
            Multiply(kernel, m, n, k, a, rsA, csA, b, rsB, csB, c, ldc, accumulate);
            return;
        }

        lock (s_parallelLock)
        {
            ParallelGemmJob job = s_parallelJob;
            bool splitN = n > m;
            int unit = splitN ? GemmKernels.Columns(kernel) : GemmKernels.Rows(kernel);
            int extent = splitN ? n : m;
            int units = (extent + unit - 1) / unit;
            int chunks = Math.Min(units, workers);
            job.Set(kernel, m, n, k, a, rsA, csA, b, rsB, csB, c, ldc, accumulate, splitN, unit * ((units + chunks - 1) / chunks));
            pool.Run(job, chunks);
        }
    }

    /// <summary>This thread's buffer for packed A blocks [MC, KC] (MC of the widest kernel).</summary>
    private static float[] PackBufferA => t_packA ??= GC.AllocateArray<float>(8 * MCPanels * KC, pinned: true);

    /// <summary>This thread's buffer for packed B blocks [KC, NC].</summary>
    private static float[] PackBufferB => t_packB ??= GC.AllocateArray<float>(KC * NC, pinned: true);

    /// <summary>
    /// One B panel against every A micro-panel of a packed block: C[mc, nrCur] (+)= A_block [mc, kc] x B_panel [kc, nrCur]
    /// (B rows ldb apart, NR readable). Edge tiles run into a full-size buffer and only their valid corner reaches C.
    /// </summary>
    private static void MultiplyPanel(
        GemmKernel kernel, int kc, float* packedA, int mc, float* bPanel, int ldb, int nrCur, float* c, int ldc, bool accumulate, float* edge)
    {
        int mr = GemmKernels.Rows(kernel);
        int nr = GemmKernels.Columns(kernel);
        for (int ir = 0; ir < mc; ir += mr)
        {
            int mrCur = Math.Min(mr, mc - ir);
            float* aPanel = packedA + (long)ir * kc;
            float* cTile = c + (long)ir * ldc;
            if (mrCur == mr && nrCur == nr)
            {
                RunKernel(kernel, kc, aPanel, bPanel, ldb, cTile, ldc, accumulate);
                continue;
            }

            RunKernel(kernel, kc, aPanel, bPanel, ldb, edge, nr, accumulate: false);
            for (int r = 0; r < mrCur; r++)
            {
                float* cRow = cTile + (long)r * ldc;
                float* eRow = edge + r * nr;
                for (int col = 0; col < nrCur; col++)
                {
                    cRow[col] = accumulate ? cRow[col] + eRow[col] : eRow[col];
                }
            }
        }
    }

    private static void RunKernel(GemmKernel kernel, int kc, float* a, float* b, int ldb, float* c, int ldc, bool accumulate)
    {
        switch (kernel)
        {
            case GemmKernel.Vector512:
                MicroKernels.Vector512x8x32(kc, a, b, ldb, c, ldc, accumulate);
                break;
            case GemmKernel.Vector256:
                MicroKernels.Vector256x6x16(kc, a, b, ldb, c, ldc, accumulate);
                break;
            case GemmKernel.Vector128:
                MicroKernels.Vector128x6x8(kc, a, b, ldb, c, ldc, accumulate);
                break;
            default:
                MicroKernels.Scalar4x4(kc, a, b, ldb, c, ldc, accumulate);
                break;
        }
    }

    /// <summary>
    /// Copies one micro-panel row, dst[j] = src[j] for j &lt; count (count is MR or NR: 4 to 32), with whole-vector moves.
    /// NOTE: Span.CopyTo costs a call and a size dispatch per row, 13% of a conv forward at these lengths.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyPanelRow(float* src, float* dst, int count)
    {
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; j + 16 <= count; j += 16)
            {
                Vector512.Store(Vector512.Load(src + j), dst + j);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; j + 8 <= count; j += 8)
            {
                Vector256.Store(Vector256.Load(src + j), dst + j);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; j + 4 <= count; j += 4)
            {
                Vector128.Store(Vector128.Load(src + j), dst + j);
            }
        }

        for (; j < count; j++)
        {
            dst[j] = src[j];
        }
    }

    /// <summary>
    /// Packs A [mc, kc] into micro-panels of mr rows: panel-major, then k, then row; rows past mc are zero.
    /// Row-major A (a transposing pack) goes through 8 x 8 block transposes where the panel is 8 full rows.
    /// </summary>
    private static void PackA(float* a, int rsA, int csA, int mc, int kc, int mr, float* dst)
    {
        for (int ir = 0; ir < mc; ir += mr)
        {
            int rows = Math.Min(mr, mc - ir);
            float* panel = dst + (long)ir * kc;
            if (rsA == 1 && rows == mr)
            {
                for (int p = 0; p < kc; p++)
                {
                    CopyPanelRow(a + ir + (long)p * csA, panel + p * mr, mr);
                }

                continue;
            }

            int blocked = 0;
            if (csA == 1 && rows == 8 && mr == 8 && BlockTranspose.IsAccelerated)
            {
                for (; blocked + 8 <= kc; blocked += 8)
                {
                    BlockTranspose.Transpose8x8(a + (long)ir * rsA + blocked, rsA, panel + blocked * 8, 8);
                }
            }

            for (int r = 0; r < mr; r++)
            {
                if (r < rows)
                {
                    float* src = a + (long)(ir + r) * rsA;
                    for (int p = blocked; p < kc; p++)
                    {
                        panel[p * mr + r] = src[(long)p * csA];
                    }
                }
                else
                {
                    for (int p = 0; p < kc; p++)
                    {
                        panel[p * mr + r] = 0f;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Packs B [kc, nc] into micro-panels of nr columns: panel-major, then k, then column; columns past nc are zero.
    /// Column-major B (a transposing pack) goes through 8 x 8 block transposes for full panels.
    /// </summary>
    private static void PackB(float* b, int rsB, int csB, int kc, int nc, int nr, float* dst)
    {
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            float* panel = dst + (long)jr * kc;
            if (csB == 1 && cols == nr)
            {
                for (int p = 0; p < kc; p++)
                {
                    CopyPanelRow(b + (long)p * rsB + jr, panel + p * nr, nr);
                }

                continue;
            }

            int blocked = 0;
            if (rsB == 1 && cols == nr && nr % 8 == 0 && BlockTranspose.IsAccelerated)
            {
                for (; blocked + 8 <= kc; blocked += 8)
                {
                    for (int col = 0; col < nr; col += 8)
                    {
                        BlockTranspose.Transpose8x8(b + (long)(jr + col) * csB + blocked, csB, panel + blocked * nr + col, nr);
                    }
                }
            }

            for (int col = 0; col < nr; col++)
            {
                if (col < cols)
                {
                    float* src = b + (long)(jr + col) * csB;
                    for (int p = blocked; p < kc; p++)
                    {
                        panel[p * nr + col] = src[(long)p * rsB];
                    }
                }
                else
                {
                    for (int p = 0; p < kc; p++)
                    {
                        panel[p * nr + col] = 0f;
                    }
                }
            }
        }
    }

    /// <summary>One GEMM split into column (or row) chunks; reused under a lock so dispatch allocates nothing.</summary>
    private sealed class ParallelGemmJob : IParallelJob
    {
        private GemmKernel _kernel;
        private int _m, _n, _k, _rsA, _csA, _rsB, _csB, _ldc, _chunk;
        private float* _a, _b, _c;
        private bool _accumulate, _splitN;

        public void Set(
            GemmKernel kernel, int m, int n, int k, float* a, int rsA, int csA, float* b, int rsB, int csB,
            float* c, int ldc, bool accumulate, bool splitN, int chunk)
        {
            (_kernel, _m, _n, _k, _rsA, _csA, _rsB, _csB, _ldc) = (kernel, m, n, k, rsA, csA, rsB, csB, ldc);
            _a = a;
            _b = b;
            _c = c;
            (_accumulate, _splitN, _chunk) = (accumulate, splitN, chunk);
        }

        public void Execute(int item, int worker)
        {
            int start = item * _chunk;
            if (_splitN)
            {
                int count = Math.Min(_chunk, _n - start);
                Multiply(_kernel, _m, count, _k, _a, _rsA, _csA, _b + (long)start * _csB, _rsB, _csB, _c + start, _ldc, _accumulate);
            }
            else
            {
                int count = Math.Min(_chunk, _m - start);
                Multiply(_kernel, count, _n, _k, _a + (long)start * _rsA, _rsA, _csA, _b, _rsB, _csB, _c + (long)start * _ldc, _ldc, _accumulate);
            }
        }
    }
}
