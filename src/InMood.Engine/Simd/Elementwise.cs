using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace InMood.Engine.Simd;

/// <summary>
/// Runs an <see cref="IBinaryOp"/> over spans: one index walks down the widths 512 -> 256 -> 128 -> scalar,
/// each path taken only where the hardware accelerates it.
/// </summary>
public static class Elementwise
{
    /// <summary>destination[i] = TOp(x[i], y[i]). Shapes: x, y, destination [n].</summary>
    public static void Run<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
        where TOp : struct, IBinaryOp
    {
        if (x.Length != y.Length || x.Length != destination.Length)
        {
            throw new ArgumentException($"Lengths differ: x {x.Length}, y {y.Length}, destination {destination.Length}.");
        }

        int n = x.Length;
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        ref float dr = ref MemoryMarshal.GetReference(destination);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + Vector512<float>.Count <= n; i += Vector512<float>.Count)
            {
                TOp.Apply(Vector512.LoadUnsafe(ref xr, (nuint)i), Vector512.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<float>.Count <= n; i += Vector256<float>.Count)
            {
                TOp.Apply(Vector256.LoadUnsafe(ref xr, (nuint)i), Vector256.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + Vector128<float>.Count <= n; i += Vector128<float>.Count)
            {
                TOp.Apply(Vector128.LoadUnsafe(ref xr, (nuint)i), Vector128.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref dr, i) = TOp.Apply(Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i));
        }
    }
}
