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
