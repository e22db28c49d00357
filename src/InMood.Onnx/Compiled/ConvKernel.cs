using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace InMood.Onnx.Compiled;

/// <summary>
/// The GEMM of a dense Conv with its epilogue fused: C[m, n] = relu?(bias[m] + R[m, n] + sum over k of W[m, k] B[k, n]),
/// where rows m &gt;= residualRows of R count as zero. Row k of B starts at b + rows[k] and its N floats are
/// contiguous: for a 1x1 conv rows[k] = k HW (B is the input itself); for a larger window B is implicit,
/// row (c, i, j) being the padded input plane c shifted by tap (i, j), so no im2col copy is made.
/// Shapes: W [M, K] (row stride K), B [K, N], R [residualRows, N] (row stride ldr), C [M, N] (row stride ldc).
/// Register tiles of 8 rows x 48 columns (24 Vector512 accumulators). With more than 32 rows in M, each 48-column
/// panel of B is first copied into aligned scratch [K, 48] that the row tiles then stream in order (B's rows are
/// otherwise scattered, shifted and unaligned: the pointwise 1x1 convs of big_XCEPTION take 0.82-0.89 of the time
/// with the copy); with fewer, the tiles read B's rows in place. Each tile of a panel first prefetches the output lines of
/// the next tile (the first tile of the next panel after the last): C has usually left the cache since an earlier step
/// last touched it, and stores that miss stall the tile (big_XCEPTION 0.97-0.98 of the time). A ragged edge of more than 32 columns runs one more
/// 48-column panel shifted back to end at N, overlapping the previous one (C is written, not accumulated, so
/// recomputing a column gives the same value; big_XCEPTION's 15 x 15 1x1 convs take 0.94-0.96 of the time); a
/// narrower edge, or N under 48, uses 8 x 16 tiles, the last shifted back the same way. Fewer than 8 rows run a zero-padded 8-row tile whose extra rows are dropped. 8 to 15 columns, and all columns without Vector512, use 8-row tiles of two Vector256
/// column runs. Fewer than 8 columns, or no SIMD, run the scalar definition.
/// </summary>
internal static unsafe class ConvKernel
{
    private const int Rows = 8;
    private const int Wide = 48;
    private const int Narrow = 16;

    /// <summary>
    /// Packs W [M, K] into 8-row panels, k-major: panel t holds W[8 t + i, p] at (t K + p) 8 + i, rows past M zero,
    /// so a tile's eight broadcasts per step read one 32-byte run instead of eight rows.
    /// </summary>
    public static float[] Pack(ReadOnlySpan<float> w, int m, int k)
    {
        float[] packed = GC.AllocateArray<float>(PackedFloats(m, k), pinned: true);
        PackInto(w, m, k, packed);
        return packed;
    }

    /// <summary>Floats of <see cref="Pack"/>'s result for W [M, K].</summary>
    public static int PackedFloats(int m, int k) => Panels(m) * k * Rows;

    /// <summary>8-row panels of a packed W with M rows (at least one: fewer than 8 rows are zero-padded).</summary>
    private static int Panels(int m) => (Math.Max(m, Rows) + Rows - 1) / Rows;

    /// <summary>
    /// <see cref="Pack"/> into <paramref name="packed"/> (<see cref="PackedFloats"/> floats). Each row of W is read once,
    /// in order, and scattered to its lane of the panel (a cold start packs every conv of the model).
    /// </summary>
    public static void PackInto(ReadOnlySpan<float> w, int m, int k, Span<float> packed)
    {
        for (int t = 0; t < Panels(m); t++)
        {
            int m0 = Math.Min(t * Rows, Math.Max(m, Rows) - Rows);
            Span<float> panel = packed.Slice(t * k * Rows, k * Rows);
            for (int i = 0; i < Rows; i++)
            {
                int row = m0 + i;
                if (row >= m)
                {
                    for (int p = 0; p < k; p++)
                    {
                        panel[(p * Rows) + i] = 0f;
                    }

                    continue;
                }

                ReadOnlySpan<float> source = w.Slice(row * k, k);
                for (int p = 0; p < source.Length; p++)
                {
                    panel[(p * Rows) + i] = source[p];
                }
            }
        }
    }

    /// <summary>
    /// Runs the GEMM; <paramref name="packed"/> is <see cref="Pack"/> of W [M, K], the only copy of W it reads.
    /// <paramref name="panel"/> is scratch of <see cref="PanelFloats"/> floats for copies of B's panels, or null when B's
    /// rows are already short contiguous runs (a gathered im2col tile) and are read in place.
    /// </summary>
    // NOTE: fully optimised at once, without dynamic PGO: PGO's tier-1 build of this dispatcher made FerVgg's 12 x 12
    // Winograd convs (its narrow path) 2-4 times slower in about half of the processes (onnx-vs-ort.md, session 14).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int m, int n, int k, float* packed, float* b, int* rows, float* bias, float* r, int ldr, int residualRows, float* c, int ldc, bool relu, float* panel)
    {
        var epilogue = new Epilogue(m, bias, r, ldr, residualRows, c, ldc, relu);
        int tileRows = Math.Max(m, Rows);
        if (n < Narrow && n >= Vector256<float>.Count && Vector256.IsHardwareAccelerated)
        {
            for (int t = 0, m0 = 0; m0 < m; m0 += Rows, t++)
            {
                Tile8x16Narrow(Math.Min(m0, tileRows - Rows), 0, n - Vector256<float>.Count, k, packed + ((long)t * k * Rows), b, rows, epilogue);
            }

            return;
        }

        if (n >= Narrow && !Vector512.IsHardwareAccelerated && Vector256.IsHardwareAccelerated)
        {
            for (int start = 0; start < n; start += Narrow)
            {
                int column = Math.Min(start, n - Narrow);
                for (int t = 0, m0 = 0; m0 < m; m0 += Rows, t++)
                {
                    Tile8x16Narrow(Math.Min(m0, tileRows - Rows), column, column + Vector256<float>.Count, k, packed + ((long)t * k * Rows), b, rows, epilogue);
                }
            }

            return;
        }

        if (n < Narrow || !Vector512.IsHardwareAccelerated)
        {
            Scalar(m, n, k, packed, b, rows, epilogue);
            return;
        }

        bool copied = panel != null && CopiesPanels(m);
        float* copy = (float*)(((nint)panel + 63) & ~(nint)63);
        int n0 = 0;
        for (; n0 + Wide <= n; n0 += Wide)
        {
            Panel8x48(m, n0, k, packed, b, rows, copied ? copy : null, epilogue);
        }

        if (n - n0 > 2 * Narrow && n >= Wide)
        {
            Panel8x48(m, n - Wide, k, packed, b, rows, copied ? copy : null, epilogue);
            return;
        }

        for (; n0 < n; n0 += Narrow)
        {
            int column = Math.Min(n0, n - Narrow);
            for (int t = 0, m0 = 0; m0 < m; m0 += Rows, t++)
            {
                Tile8x16(Math.Min(m0, tileRows - Rows), column, k, packed + ((long)t * k * Rows), b, rows, epilogue);
            }
        }
    }

    /// <summary>The 48 columns n0.. of every row tile, from a copy of B's panel when <paramref name="copy"/> is given.</summary>
    private static void Panel8x48(int m, int n0, int k, float* packed, float* b, int* rows, float* copy, in Epilogue epilogue)
    {
        int tileRows = Math.Max(m, Rows);
        if (copy != null)
        {
            CopyPanel(b + n0, rows, k, copy);
        }

        for (int t = 0, m0 = 0; m0 < m; m0 += Rows, t++)
        {
            float* w = packed + ((long)t * k * Rows);
            bool last = m0 + Rows >= m;
            epilogue.PrefetchRows(last ? 0 : Math.Min(m0 + Rows, tileRows - Rows), last ? n0 + Wide : n0);
            if (copy != null)
            {
                Tile8x48(Math.Min(m0, tileRows - Rows), n0, k, w, new CopiedRows(copy), epilogue);
            }
            else
            {
                Tile8x48(Math.Min(m0, tileRows - Rows), n0, k, w, new IndexedRows(b + n0, rows), epilogue);
            }
        }
    }

    /// <summary>Whether <see cref="Run"/> copies B's panels for an M-row product: the copy pays for itself once more than four row tiles read it.</summary>
    public static bool CopiesPanels(int m) => m > 4 * Rows;

    /// <summary>Floats of scratch <see cref="Run"/> needs for an M x K product: one 48-column panel of B plus alignment, or none when it reads B in place.</summary>
    public static int PanelFloats(int m, int k) => CopiesPanels(m) ? (k * Wide) + 16 : 0;

    /// <summary>Copies the 48-column panel of B at columns b.. into <paramref name="copy"/> [K, 48] (64-byte aligned rows), so the row tiles stream it in order.</summary>
    private static void CopyPanel(float* b, int* rows, int k, float* copy)
    {
        for (int p = 0; p < k; p++, copy += Wide)
        {
            float* source = b + rows[p];
            Vector512.Store(Vector512.Load(source), copy);
            Vector512.Store(Vector512.Load(source + 16), copy + 16);
            Vector512.Store(Vector512.Load(source + 32), copy + 32);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile8x48<TRows>(int m0, int n0, int k, float* panel, TRows source, in Epilogue e)
        where TRows : struct, IPanelRows
    {
        Vector512<float> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default;
        Vector512<float> c40 = default, c41 = default, c42 = default, c50 = default, c51 = default, c52 = default;
        Vector512<float> c60 = default, c61 = default, c62 = default, c70 = default, c71 = default, c72 = default;
        float* wp = panel;
        for (int p = 0; p < k; p++, wp += Rows)
        {
            float* bp = source.Row(p);
            Vector512<float> b0 = Vector512.Load(bp), b1 = Vector512.Load(bp + 16), b2 = Vector512.Load(bp + 32);
            Vector512<float> a = Vector512.Create(wp[0]);
            c00 = Vector512.FusedMultiplyAdd(a, b0, c00); c01 = Vector512.FusedMultiplyAdd(a, b1, c01); c02 = Vector512.FusedMultiplyAdd(a, b2, c02);
            a = Vector512.Create(wp[1]);
            c10 = Vector512.FusedMultiplyAdd(a, b0, c10); c11 = Vector512.FusedMultiplyAdd(a, b1, c11); c12 = Vector512.FusedMultiplyAdd(a, b2, c12);
            a = Vector512.Create(wp[2]);
            c20 = Vector512.FusedMultiplyAdd(a, b0, c20); c21 = Vector512.FusedMultiplyAdd(a, b1, c21); c22 = Vector512.FusedMultiplyAdd(a, b2, c22);
            a = Vector512.Create(wp[3]);
            c30 = Vector512.FusedMultiplyAdd(a, b0, c30); c31 = Vector512.FusedMultiplyAdd(a, b1, c31); c32 = Vector512.FusedMultiplyAdd(a, b2, c32);
            a = Vector512.Create(wp[4]);
            c40 = Vector512.FusedMultiplyAdd(a, b0, c40); c41 = Vector512.FusedMultiplyAdd(a, b1, c41); c42 = Vector512.FusedMultiplyAdd(a, b2, c42);
            a = Vector512.Create(wp[5]);
            c50 = Vector512.FusedMultiplyAdd(a, b0, c50); c51 = Vector512.FusedMultiplyAdd(a, b1, c51); c52 = Vector512.FusedMultiplyAdd(a, b2, c52);
            a = Vector512.Create(wp[6]);
            c60 = Vector512.FusedMultiplyAdd(a, b0, c60); c61 = Vector512.FusedMultiplyAdd(a, b1, c61); c62 = Vector512.FusedMultiplyAdd(a, b2, c62);
            a = Vector512.Create(wp[7]);
            c70 = Vector512.FusedMultiplyAdd(a, b0, c70); c71 = Vector512.FusedMultiplyAdd(a, b1, c71); c72 = Vector512.FusedMultiplyAdd(a, b2, c72);
        }

        e.StoreRow(m0, n0, c00, c01, c02);
        e.StoreRow(m0 + 1, n0, c10, c11, c12);
        e.StoreRow(m0 + 2, n0, c20, c21, c22);
        e.StoreRow(m0 + 3, n0, c30, c31, c32);
        e.StoreRow(m0 + 4, n0, c40, c41, c42);
        e.StoreRow(m0 + 5, n0, c50, c51, c52);
        e.StoreRow(m0 + 6, n0, c60, c61, c62);
        e.StoreRow(m0 + 7, n0, c70, c71, c72);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile8x16(int m0, int n0, int k, float* panel, float* b, int* rows, in Epilogue e)
    {
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        float* bn = b + n0;
        float* wp = panel;
        for (int p = 0; p < k; p++, wp += Rows)
        {
            Vector512<float> b0 = Vector512.Load(bn + rows[p]);
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(wp[0]), b0, c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Create(wp[1]), b0, c1);
            c2 = Vector512.FusedMultiplyAdd(Vector512.Create(wp[2]), b0, c2);
            c3 = Vector512.FusedMultiplyAdd(Vector512.Create(wp[3]), b0, c3);
            c4 = Vector512.FusedMultiplyAdd(Vector512.Create(wp[4]), b0, c4);
            c5 = Vector512.FusedMultiplyAdd(Vector512.Create(wp[5]), b0, c5);
            c6 = Vector512.FusedMultiplyAdd(Vector512.Create(wp[6]), b0, c6);
            c7 = Vector512.FusedMultiplyAdd(Vector512.Create(wp[7]), b0, c7);
        }

        e.Store(m0, n0, c0); e.Store(m0 + 1, n0, c1); e.Store(m0 + 2, n0, c2); e.Store(m0 + 3, n0, c3);
        e.Store(m0 + 4, n0, c4); e.Store(m0 + 5, n0, c5); e.Store(m0 + 6, n0, c6); e.Store(m0 + 7, n0, c7);
    }

    /// <summary>
    /// 8 rows x two Vector256 column runs, at <paramref name="n0"/> and <paramref name="n1"/>: the 8 x 16 tile
    /// (n1 = n0 + 8) for machines without Vector512, or 8 to 15 columns (n0 = 0, n1 = N - 8, the runs overlapping).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile8x16Narrow(int m0, int n0, int n1, int k, float* panel, float* b, int* rows, in Epilogue e)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
        float* wp = panel;
        for (int p = 0; p < k; p++, wp += Rows)
        {
            float* bp = b + rows[p];
            Vector256<float> b0 = Vector256.Load(bp + n0), b1 = Vector256.Load(bp + n1);
            Vector256<float> a = Vector256.Create(wp[0]);
            c00 = Vector256.FusedMultiplyAdd(a, b0, c00); c01 = Vector256.FusedMultiplyAdd(a, b1, c01);
            a = Vector256.Create(wp[1]);
            c10 = Vector256.FusedMultiplyAdd(a, b0, c10); c11 = Vector256.FusedMultiplyAdd(a, b1, c11);
            a = Vector256.Create(wp[2]);
            c20 = Vector256.FusedMultiplyAdd(a, b0, c20); c21 = Vector256.FusedMultiplyAdd(a, b1, c21);
            a = Vector256.Create(wp[3]);
            c30 = Vector256.FusedMultiplyAdd(a, b0, c30); c31 = Vector256.FusedMultiplyAdd(a, b1, c31);
            a = Vector256.Create(wp[4]);
            c40 = Vector256.FusedMultiplyAdd(a, b0, c40); c41 = Vector256.FusedMultiplyAdd(a, b1, c41);
            a = Vector256.Create(wp[5]);
            c50 = Vector256.FusedMultiplyAdd(a, b0, c50); c51 = Vector256.FusedMultiplyAdd(a, b1, c51);
            a = Vector256.Create(wp[6]);
            c60 = Vector256.FusedMultiplyAdd(a, b0, c60); c61 = Vector256.FusedMultiplyAdd(a, b1, c61);
            a = Vector256.Create(wp[7]);
            c70 = Vector256.FusedMultiplyAdd(a, b0, c70); c71 = Vector256.FusedMultiplyAdd(a, b1, c71);
        }

        e.Store(m0, n0, c00); e.Store(m0, n1, c01);
        e.Store(m0 + 1, n0, c10); e.Store(m0 + 1, n1, c11);
        e.Store(m0 + 2, n0, c20); e.Store(m0 + 2, n1, c21);
        e.Store(m0 + 3, n0, c30); e.Store(m0 + 3, n1, c31);
        e.Store(m0 + 4, n0, c40); e.Store(m0 + 4, n1, c41);
        e.Store(m0 + 5, n0, c50); e.Store(m0 + 5, n1, c51);
        e.Store(m0 + 6, n0, c60); e.Store(m0 + 6, n1, c61);
        e.Store(m0 + 7, n0, c70); e.Store(m0 + 7, n1, c71);
    }

    /// <summary>
    /// Where row <paramref name="row"/> of W starts in the packed panels: W[row, p] is at the result + 8 p. Panel
    /// t = row / 8 covers rows m0 .. m0 + 7 with m0 = min(8 t, max(M, 8) - 8) (the last panel is shifted back).
    /// </summary>
    private static float* PackedRow(float* packed, int row, int m, int k)
    {
        int t = row / Rows;
        int m0 = Math.Min(t * Rows, Math.Max(m, Rows) - Rows);
        return packed + ((long)t * k * Rows) + (row - m0);
    }

    /// <summary>The definition, element by element, for small edges.</summary>
    private static void Scalar(int m, int n, int k, float* packed, float* b, int* rows, in Epilogue e)
    {
        for (int i = 0; i < m; i++)
        {
            float* wp = PackedRow(packed, i, m, k);
            for (int j = 0; j < n; j++)
            {
                float sum = 0f;
                for (int p = 0; p < k; p++)
                {
                    sum = MathF.FusedMultiplyAdd(wp[p * Rows], b[rows[p] + j], sum);
                }

                e.Store(i, j, sum);
            }
        }
    }

    /// <summary>Where row p of a 48-column panel of B starts.</summary>
    private interface IPanelRows
    {
        float* Row(int p);
    }

    /// <summary>B read in place: row p at b + rows[p] (b already offset to the panel's first column).</summary>
    private readonly struct IndexedRows(float* b, int* rows) : IPanelRows
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float* Row(int p) => b + rows[p];
    }

    /// <summary>The panel's copy, [K, 48] with 64-byte aligned rows.</summary>
    private readonly struct CopiedRows(float* copy) : IPanelRows
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float* Row(int p) => copy + (p * Wide);
    }

    /// <summary>Where and how results are written: bias, residual and ReLU applied on the way out.</summary>
    private readonly struct Epilogue(int m, float* bias, float* r, int ldr, int residualRows, float* c, int ldc, bool relu)
    {
        /// <summary>
        /// Asks for the output lines of the 8 x 48 tile at (row, column) ahead of its stores: C is usually not in cache
        /// (its last reader was an earlier step), and a store that misses waits for the line.
        /// </summary>
        public void PrefetchRows(int row, int column)
        {
            if (!Sse.IsSupported)
            {
                return;
            }

            for (int i = row; i < Math.Min(row + Rows, m); i++)
            {
                float* at = c + ((long)i * ldc) + column;
                Sse.Prefetch0(at);
                Sse.Prefetch0(at + 16);
                Sse.Prefetch0(at + 32);
                Sse.Prefetch0(at + Wide - 1);
            }
        }

        /// <summary>Three adjacent vectors of one row (a 48-column tile's row): the row's checks and bias taken once.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void StoreRow(int row, int column, Vector512<float> s0, Vector512<float> s1, Vector512<float> s2)
        {
            if (row >= m)
            {
                return;
            }

            Vector512<float> b = Vector512.Create(bias[row]);
            s0 += b;
            s1 += b;
            s2 += b;
            float* at = c + ((long)row * ldc) + column;
            if (row < residualRows)
            {
                float* rr = r + ((long)row * ldr) + column;
                s0 += Vector512.Load(rr);
                s1 += Vector512.Load(rr + 16);
                s2 += Vector512.Load(rr + 32);
            }

            if (relu)
            {
                s0 = Vector512.Max(s0, Vector512<float>.Zero);
                s1 = Vector512.Max(s1, Vector512<float>.Zero);
                s2 = Vector512.Max(s2, Vector512<float>.Zero);
            }

            s0.Store(at);
            s1.Store(at + 16);
            s2.Store(at + 32);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Store(int row, int column, Vector512<float> sum)
        {
            if (row >= m)
            {
                return;
            }

            Vector512<float> value = sum + Vector512.Create(bias[row]);
            if (row < residualRows)
            {
                value += Vector512.Load(r + ((long)row * ldr) + column);
            }

            if (relu)
            {
                value = Vector512.Max(value, Vector512<float>.Zero);
            }

            value.Store(c + ((long)row * ldc) + column);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Store(int row, int column, Vector256<float> sum)
        {
            if (row >= m)
            {
                return;
            }

            Vector256<float> value = sum + Vector256.Create(bias[row]);
            if (row < residualRows)
            {
                value += Vector256.Load(r + ((long)row * ldr) + column);
            }

            if (relu)
            {
                value = Vector256.Max(value, Vector256<float>.Zero);
            }

            value.Store(c + ((long)row * ldc) + column);
        }

        public void Store(int row, int column, float sum)
        {
            float value = sum + bias[row] + (row < residualRows ? r[((long)row * ldr) + column] : 0f);
            c[((long)row * ldc) + column] = relu ? MathF.Max(value, 0f) : value;
        }
    }
}
