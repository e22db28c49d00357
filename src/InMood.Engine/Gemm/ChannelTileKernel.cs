using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace InMood.Engine.Gemm;

/// <summary>
/// The GEMM of a dense conv over a small output map, with the vector across output channels instead of pixels:
/// tiles of 6 pixels x 64 channels (24 Vector512 accumulators), result[i, j] = sum over k of W[m0 + j, k] B[k, i],
/// where B row k of the tile's 6 pixels is the contiguous run b + rows[k] (an implicit im2col, as in
/// the compiled ONNX path's ConvKernel). On a 6 x 6 map a GEMM whose 16-lane vectors run along pixels covers 48 columns, 12 of
/// them padding; here every lane is an output. Used by the compiled ONNX convs and by <see cref="Layers.Conv2d"/>'s
/// forward (and so its input gradient) on small maps. W is packed in 64-channel panels, k-major: panel t holds W[m0 + j, k]
/// at (t K + k) 64 + j with m0 = min(64 t, M - 64) (the last panel is shifted back to end at M, overlapping the one
/// before it). Shapes: W [M, K] with M &gt;= 64, result [6, 64]. AVX-512 only.
/// </summary>
public static unsafe class ChannelTileKernel
{
    /// <summary>Pixels of a tile: consecutive outputs of one row.</summary>
    public const int Pixels = 6;

    /// <summary>Output channels of a tile: four vectors.</summary>
    public const int Channels = 64;

    public static bool IsSupported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    /// <summary>The 64-channel panels of W [M, K]: ceil(M / 64).</summary>
    public static int Panels(int m) => (m + Channels - 1) / Channels;

    /// <summary>First channel of panel <paramref name="t"/>.</summary>
    public static int FirstChannel(int t, int m) => Math.Min(t * Channels, m - Channels);

    /// <summary>Floats of W [M, K] packed: <see cref="Panels"/> panels of [K, 64].</summary>
    public static int PackedFloats(int m, int k) => Panels(m) * k * Channels;

    /// <summary>Packs W [M, K] (M &gt;= 64) into a new pinned array of <see cref="Panels"/> panels of [K, 64], as the summary describes.</summary>
    public static float[] Pack(ReadOnlySpan<float> w, int m, int k)
    {
        float[] packed = GC.AllocateArray<float>(PackedFloats(m, k), pinned: true);
        PackInto(w, m, k, packed);
        return packed;
    }

    /// <summary>Packs W [M, K] (M &gt;= 64) into packed [<see cref="PackedFloats"/>], as the summary describes.</summary>
    public static void PackInto(ReadOnlySpan<float> w, int m, int k, Span<float> packed)
    {
        System.Diagnostics.Debug.Assert(m >= Channels, "a panel needs 64 channels");
        for (int t = 0; t < Panels(m); t++)
        {
            int m0 = FirstChannel(t, m);
            Span<float> panel = packed.Slice(t * k * Channels, k * Channels);
            for (int j = 0; j < Channels; j++)
            {
                ReadOnlySpan<float> row = w.Slice((m0 + j) * k, k);
                for (int p = 0; p < k; p++)
                {
                    panel[(p * Channels) + j] = row[p];
                }
            }
        }
    }

    /// <summary>result[i, j] (row stride 64) for one tile, from panel [K, 64] and B rows b + rows[k] (6 floats each).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile(int k, float* panel, float* b, int* rows, float* result)
    {
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default, c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default, c30 = default, c31 = default, c32 = default, c33 = default;
        Vector512<float> c40 = default, c41 = default, c42 = default, c43 = default, c50 = default, c51 = default, c52 = default, c53 = default;
        float* wp = panel;
        for (int p = 0; p < k; p++, wp += Channels)
        {
            float* bp = b + rows[p];
            Vector512<float> w0 = Vector512.Load(wp), w1 = Vector512.Load(wp + 16), w2 = Vector512.Load(wp + 32), w3 = Vector512.Load(wp + 48);
            Vector512<float> a = Vector512.Create(bp[0]);
            c00 = Vector512.FusedMultiplyAdd(a, w0, c00); c01 = Vector512.FusedMultiplyAdd(a, w1, c01); c02 = Vector512.FusedMultiplyAdd(a, w2, c02); c03 = Vector512.FusedMultiplyAdd(a, w3, c03);
            a = Vector512.Create(bp[1]);
            c10 = Vector512.FusedMultiplyAdd(a, w0, c10); c11 = Vector512.FusedMultiplyAdd(a, w1, c11); c12 = Vector512.FusedMultiplyAdd(a, w2, c12); c13 = Vector512.FusedMultiplyAdd(a, w3, c13);
            a = Vector512.Create(bp[2]);
            c20 = Vector512.FusedMultiplyAdd(a, w0, c20); c21 = Vector512.FusedMultiplyAdd(a, w1, c21); c22 = Vector512.FusedMultiplyAdd(a, w2, c22); c23 = Vector512.FusedMultiplyAdd(a, w3, c23);
            a = Vector512.Create(bp[3]);
            c30 = Vector512.FusedMultiplyAdd(a, w0, c30); c31 = Vector512.FusedMultiplyAdd(a, w1, c31); c32 = Vector512.FusedMultiplyAdd(a, w2, c32); c33 = Vector512.FusedMultiplyAdd(a, w3, c33);
            a = Vector512.Create(bp[4]);
            c40 = Vector512.FusedMultiplyAdd(a, w0, c40); c41 = Vector512.FusedMultiplyAdd(a, w1, c41); c42 = Vector512.FusedMultiplyAdd(a, w2, c42); c43 = Vector512.FusedMultiplyAdd(a, w3, c43);
            a = Vector512.Create(bp[5]);
            c50 = Vector512.FusedMultiplyAdd(a, w0, c50); c51 = Vector512.FusedMultiplyAdd(a, w1, c51); c52 = Vector512.FusedMultiplyAdd(a, w2, c52); c53 = Vector512.FusedMultiplyAdd(a, w3, c53);
        }

        StoreRow(result, c00, c01, c02, c03);
        StoreRow(result + Channels, c10, c11, c12, c13);
        StoreRow(result + (2 * Channels), c20, c21, c22, c23);
        StoreRow(result + (3 * Channels), c30, c31, c32, c33);
        StoreRow(result + (4 * Channels), c40, c41, c42, c43);
        StoreRow(result + (5 * Channels), c50, c51, c52, c53);
    }

    /// <summary>
    /// One tile of a conv's weight gradient, the same 6 x 64 shape turned around: result[r, j] = sum over images n and
    /// pixels p of dyt[n P S + p S + j] x[n xStride + rows[r] + pixels[p]], i.e. dW[m0 + j, k0 + r] with dyt = dY
    /// transposed to pixel-major rows of stride S (S = 64 for one panel's channels m0 .. m0 + 63), x the zero-padded
    /// inputs and rows[r] the offset of im2col row k0 + r (as in <see cref="Tile"/>). Shapes: dyt [N, P, S], x [N,
    /// xStride], result [6, 64].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WeightGradTile(int images, int p, int stride, float* dyt, float* x, long xStride, int* pixels, int* rows, float* result)
    {
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default, c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default, c30 = default, c31 = default, c32 = default, c33 = default;
        Vector512<float> c40 = default, c41 = default, c42 = default, c43 = default, c50 = default, c51 = default, c52 = default, c53 = default;
        int r0 = rows[0], r1 = rows[1], r2 = rows[2], r3 = rows[3], r4 = rows[4], r5 = rows[5];
        for (int n = 0; n < images; n++)
        {
            float* dy = dyt + ((long)n * p * stride);
            float* xn = x + (n * xStride);
            for (int q = 0; q < p; q++, dy += stride)
            {
                float* b = xn + pixels[q];
                Vector512<float> d0 = Vector512.Load(dy), d1 = Vector512.Load(dy + 16), d2 = Vector512.Load(dy + 32), d3 = Vector512.Load(dy + 48);
                Vector512<float> a = Vector512.Create(b[r0]);
                c00 = Vector512.FusedMultiplyAdd(a, d0, c00); c01 = Vector512.FusedMultiplyAdd(a, d1, c01); c02 = Vector512.FusedMultiplyAdd(a, d2, c02); c03 = Vector512.FusedMultiplyAdd(a, d3, c03);
                a = Vector512.Create(b[r1]);
                c10 = Vector512.FusedMultiplyAdd(a, d0, c10); c11 = Vector512.FusedMultiplyAdd(a, d1, c11); c12 = Vector512.FusedMultiplyAdd(a, d2, c12); c13 = Vector512.FusedMultiplyAdd(a, d3, c13);
                a = Vector512.Create(b[r2]);
                c20 = Vector512.FusedMultiplyAdd(a, d0, c20); c21 = Vector512.FusedMultiplyAdd(a, d1, c21); c22 = Vector512.FusedMultiplyAdd(a, d2, c22); c23 = Vector512.FusedMultiplyAdd(a, d3, c23);
                a = Vector512.Create(b[r3]);
                c30 = Vector512.FusedMultiplyAdd(a, d0, c30); c31 = Vector512.FusedMultiplyAdd(a, d1, c31); c32 = Vector512.FusedMultiplyAdd(a, d2, c32); c33 = Vector512.FusedMultiplyAdd(a, d3, c33);
                a = Vector512.Create(b[r4]);
                c40 = Vector512.FusedMultiplyAdd(a, d0, c40); c41 = Vector512.FusedMultiplyAdd(a, d1, c41); c42 = Vector512.FusedMultiplyAdd(a, d2, c42); c43 = Vector512.FusedMultiplyAdd(a, d3, c43);
                a = Vector512.Create(b[r5]);
                c50 = Vector512.FusedMultiplyAdd(a, d0, c50); c51 = Vector512.FusedMultiplyAdd(a, d1, c51); c52 = Vector512.FusedMultiplyAdd(a, d2, c52); c53 = Vector512.FusedMultiplyAdd(a, d3, c53);
            }
        }

        StoreRow(result, c00, c01, c02, c03);
        StoreRow(result + Channels, c10, c11, c12, c13);
        StoreRow(result + (2 * Channels), c20, c21, c22, c23);
        StoreRow(result + (3 * Channels), c30, c31, c32, c33);
        StoreRow(result + (4 * Channels), c40, c41, c42, c43);
        StoreRow(result + (5 * Channels), c50, c51, c52, c53);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* at, Vector512<float> s0, Vector512<float> s1, Vector512<float> s2, Vector512<float> s3)
    {
        s0.Store(at);
        s1.Store(at + 16);
        s2.Store(at + 32);
        s3.Store(at + 48);
    }
}
