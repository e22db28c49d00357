using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace InMood.Onnx.Compiled;

/// <summary>
/// Copies of short rows (8 to a few hundred floats), the unit of padding and im2col gathering. Span.CopyTo
/// costs a call and size dispatch per row, which dominated 15- and 29-wide feature maps; here whole vectors
/// are moved and the last one is shifted back to end at n (it overlaps the previous one, which is harmless
/// for a copy between distinct buffers).
/// </summary>
internal static unsafe class RowCopy
{
    /// <summary>dst[0 .. n) = src[0 .. n); the ranges must not overlap.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(float* src, float* dst, int n)
    {
        if (n >= Vector512<float>.Count && Vector512.IsHardwareAccelerated)
        {
            for (int i = 0; i < n; i += Vector512<float>.Count)
            {
                int at = Math.Min(i, n - Vector512<float>.Count);
                Vector512.Load(src + at).Store(dst + at);
            }
        }
        else if (n >= Vector256<float>.Count && Vector256.IsHardwareAccelerated)
        {
            for (int i = 0; i < n; i += Vector256<float>.Count)
            {
                int at = Math.Min(i, n - Vector256<float>.Count);
                Vector256.Load(src + at).Store(dst + at);
            }
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                dst[i] = src[i];
            }
        }
    }

    /// <summary>
    /// dst[q] = src[2 q] for q &lt; n, 16 at a time: two loads under masks that stop at src[2 (n - 1)] (nothing past the
    /// row is read), the even lanes picked by one two-vector permute, stored under a mask (AVX-512 only).
    /// </summary>
    public static void CopyEvens(float* src, int n, float* dst)
    {
        int width = Vector512<float>.Count;
        Vector512<int> lanes = Vector512<int>.Indices;
        Vector512<int> evens = lanes + lanes;
        for (int q0 = 0; q0 < n; q0 += width)
        {
            int read = (2 * Math.Min(width, n - q0)) - 1;
            Vector512<float> low = Avx512F.MaskLoad(src + (2 * q0), Vector512.LessThan(lanes, Vector512.Create(read)).AsSingle(), Vector512<float>.Zero);
            Vector512<float> high = Avx512F.MaskLoad(src + (2 * q0) + width, Vector512.LessThan(lanes, Vector512.Create(read - width)).AsSingle(), Vector512<float>.Zero);
            Vector512<float> mask = Vector512.LessThan(lanes, Vector512.Create(n - q0)).AsSingle();
            Avx512F.MaskStore(dst + q0, mask, Avx512F.PermuteVar16x32x2(low, evens, high));
        }
    }

    /// <summary>
    /// Copies a row of n floats into its two column phases at stride 2, as a padded window reads them: padded column
    /// t = i + left goes to phase t mod 2 at t / 2, so src's even elements land in the phase of left's parity. row
    /// is the phase-0 row; phase 1 starts phasePlane floats on.
    /// </summary>
    public static void IntoPhases2(float* src, int n, float* row, int left, int phasePlane) =>
        Deinterleave2(src, n, row + ((left % 2) * phasePlane) + (left / 2), row + ((1 - (left % 2)) * phasePlane) + ((left + 1) / 2));

    /// <summary>Splits src[0 .. n) by parity: first[i] = src[2 i], second[i] = src[2 i + 1] (the column phases of a stride-2 window).</summary>
    public static void Deinterleave2(float* src, int n, float* first, float* second)
    {
        int i = 0;
        if (Avx512F.IsSupported)
        {
            Vector512<int> evens = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
            Vector512<int> odds = evens + Vector512<int>.One;
            for (; i + (2 * Vector512<float>.Count) <= n; i += 2 * Vector512<float>.Count)
            {
                Vector512<float> lo = Vector512.Load(src + i), hi = Vector512.Load(src + i + Vector512<float>.Count);
                Avx512F.PermuteVar16x32x2(lo, evens, hi).Store(first + (i / 2));
                Avx512F.PermuteVar16x32x2(lo, odds, hi).Store(second + (i / 2));
            }

            // NOTE: the last n mod 32 floats go the same way under masks (rows of 23 to 48 floats, as in big_XCEPTION and
            // FerVgg, were otherwise mostly or half scalar).
            int rest = n - i;
            if (rest > 0)
            {
                Vector512<int> lanes = Vector512<int>.Indices;
                Vector512<float> lo = Avx512F.MaskLoad(src + i, Vector512.LessThan(lanes, Vector512.Create(rest)).AsSingle(), Vector512<float>.Zero);
                Vector512<float> hi = Avx512F.MaskLoad(src + i + Vector512<float>.Count, Vector512.LessThan(lanes, Vector512.Create(rest - Vector512<float>.Count)).AsSingle(), Vector512<float>.Zero);
                Avx512F.MaskStore(first + (i / 2), Vector512.LessThan(lanes, Vector512.Create((rest + 1) / 2)).AsSingle(), Avx512F.PermuteVar16x32x2(lo, evens, hi));
                Avx512F.MaskStore(second + (i / 2), Vector512.LessThan(lanes, Vector512.Create(rest / 2)).AsSingle(), Avx512F.PermuteVar16x32x2(lo, odds, hi));
                return;
            }
        }

        for (; i + 1 < n; i += 2)
        {
            first[i / 2] = src[i];
            second[i / 2] = src[i + 1];
        }

        if (i < n)
        {
            first[i / 2] = src[i];
        }
    }
}
