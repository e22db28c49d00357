using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace InMood.Engine.Simd;

/// <summary>
/// The fused passes of <see cref="Layers.BatchNorm2d"/> over one channel plane of one image, each reading its inputs
/// once (the library primitives would take two or three passes each: batch norm is memory-bound, and over 48 x 48
/// maps its planes of a batch do not stay in L2). Every path walks 512 -> 256 -> 128 -> scalar, as
/// <see cref="Elementwise"/> does. Shapes: every span [n].
/// </summary>
public static class BatchNormKernels
{
    /// <summary>(sum of x[i], sum of x[i]^2) in one pass.</summary>
    public static (float Sum, float Squares) SumAndSquares(ReadOnlySpan<float> x)
    {
        int n = x.Length, i = 0;
        ref float xr = ref MemoryMarshal.GetReference(x);
        float sum = 0f, squares = 0f;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            Vector512<float> s = Vector512<float>.Zero, q = Vector512<float>.Zero;
            for (; i + Vector512<float>.Count <= n; i += Vector512<float>.Count)
            {
                Vector512<float> v = Vector512.LoadUnsafe(ref xr, (nuint)i);
                s += v;
                q = Vector512.FusedMultiplyAdd(v, v, q);
            }

            sum += Vector512.Sum(s);
            squares += Vector512.Sum(q);
        }

        if (Vector256.IsHardwareAccelerated && n - i >= Vector256<float>.Count)
        {
            Vector256<float> s = Vector256<float>.Zero, q = Vector256<float>.Zero;
            for (; i + Vector256<float>.Count <= n; i += Vector256<float>.Count)
            {
                Vector256<float> v = Vector256.LoadUnsafe(ref xr, (nuint)i);
                s += v;
                q = Vector256.FusedMultiplyAdd(v, v, q);
            }

            sum += Vector256.Sum(s);
            squares += Vector256.Sum(q);
        }

        if (Vector128.IsHardwareAccelerated && n - i >= Vector128<float>.Count)
        {
            Vector128<float> s = Vector128<float>.Zero, q = Vector128<float>.Zero;
            for (; i + Vector128<float>.Count <= n; i += Vector128<float>.Count)
            {
                Vector128<float> v = Vector128.LoadUnsafe(ref xr, (nuint)i);
                s += v;
                q = Vector128.FusedMultiplyAdd(v, v, q);
            }

            sum += Vector128.Sum(s);
            squares += Vector128.Sum(q);
        }

        for (; i < n; i++)
        {
            float v = Unsafe.Add(ref xr, i);
            sum += v;
            squares = MathF.FusedMultiplyAdd(v, v, squares);
        }

        return (sum, squares);
    }

    /// <summary>destination[i] = x[i] scale + shift, then max(., 0) when <paramref name="relu"/>.</summary>
    public static void ScaleShift(ReadOnlySpan<float> x, float scale, float shift, bool relu, Span<float> destination)
    {
        CheckLengths(x.Length, x.Length, destination.Length);
        int n = x.Length, i = 0;
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float dr = ref MemoryMarshal.GetReference(destination);
        float floor = relu ? 0f : float.NegativeInfinity;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> a = Vector512.Create(scale), b = Vector512.Create(shift), f = Vector512.Create(floor);
            for (; i + Vector512<float>.Count <= n; i += Vector512<float>.Count)
            {
                Vector512.Max(Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref xr, (nuint)i), a, b), f).StoreUnsafe(ref dr, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> a = Vector256.Create(scale), b = Vector256.Create(shift), f = Vector256.Create(floor);
            for (; i + Vector256<float>.Count <= n; i += Vector256<float>.Count)
            {
                Vector256.Max(Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref xr, (nuint)i), a, b), f).StoreUnsafe(ref dr, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            Vector128<float> a = Vector128.Create(scale), b = Vector128.Create(shift), f = Vector128.Create(floor);
            for (; i + Vector128<float>.Count <= n; i += Vector128<float>.Count)
            {
                Vector128.Max(Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref xr, (nuint)i), a, b), f).StoreUnsafe(ref dr, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref dr, i) = MathF.Max(MathF.FusedMultiplyAdd(Unsafe.Add(ref xr, i), scale, shift), floor);
        }
    }

    /// <summary>
    /// With <paramref name="relu"/>, first dy[i] = y[i] &gt; 0 ? dy[i] : 0 in place (the gradient before the fused ReLU);
    /// returns (sum of dy[i], sum of dy[i] x[i]) of the (masked) dy, in the same pass.
    /// </summary>
    public static (float SumDy, float SumDyX) GradientSums(ReadOnlySpan<float> y, ReadOnlySpan<float> x, Span<float> dy, bool relu)
    {
        CheckLengths(y.Length, x.Length, dy.Length);
        int n = x.Length, i = 0;
        ref float yr = ref MemoryMarshal.GetReference(y);
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float gr = ref MemoryMarshal.GetReference(dy);
        float sumDy = 0f, sumDyX = 0f;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            Vector512<float> s = Vector512<float>.Zero, d = Vector512<float>.Zero;
            for (; i + Vector512<float>.Count <= n; i += Vector512<float>.Count)
            {
                Vector512<float> g = Vector512.LoadUnsafe(ref gr, (nuint)i);
                if (relu)
                {
                    g = ReluGrad.Apply(Vector512.LoadUnsafe(ref yr, (nuint)i), g);
                    g.StoreUnsafe(ref gr, (nuint)i);
                }

                s += g;
                d = Vector512.FusedMultiplyAdd(g, Vector512.LoadUnsafe(ref xr, (nuint)i), d);
            }

            sumDy += Vector512.Sum(s);
            sumDyX += Vector512.Sum(d);
        }

        if (Vector256.IsHardwareAccelerated && n - i >= Vector256<float>.Count)
        {
            Vector256<float> s = Vector256<float>.Zero, d = Vector256<float>.Zero;
            for (; i + Vector256<float>.Count <= n; i += Vector256<float>.Count)
            {
                Vector256<float> g = Vector256.LoadUnsafe(ref gr, (nuint)i);
                if (relu)
                {
                    g = ReluGrad.Apply(Vector256.LoadUnsafe(ref yr, (nuint)i), g);
                    g.StoreUnsafe(ref gr, (nuint)i);
                }

                s += g;
                d = Vector256.FusedMultiplyAdd(g, Vector256.LoadUnsafe(ref xr, (nuint)i), d);
            }

            sumDy += Vector256.Sum(s);
            sumDyX += Vector256.Sum(d);
        }

        if (Vector128.IsHardwareAccelerated && n - i >= Vector128<float>.Count)
        {
            Vector128<float> s = Vector128<float>.Zero, d = Vector128<float>.Zero;
            for (; i + Vector128<float>.Count <= n; i += Vector128<float>.Count)
            {
                Vector128<float> g = Vector128.LoadUnsafe(ref gr, (nuint)i);
                if (relu)
                {
                    g = ReluGrad.Apply(Vector128.LoadUnsafe(ref yr, (nuint)i), g);
                    g.StoreUnsafe(ref gr, (nuint)i);
                }

                s += g;
                d = Vector128.FusedMultiplyAdd(g, Vector128.LoadUnsafe(ref xr, (nuint)i), d);
            }

            sumDy += Vector128.Sum(s);
            sumDyX += Vector128.Sum(d);
        }

        for (; i < n; i++)
        {
            float g = Unsafe.Add(ref gr, i);
            if (relu)
            {
                g = ReluGrad.Apply(Unsafe.Add(ref yr, i), g);
                Unsafe.Add(ref gr, i) = g;
            }

            sumDy += g;
            sumDyX = MathF.FusedMultiplyAdd(g, Unsafe.Add(ref xr, i), sumDyX);
        }

        return (sumDy, sumDyX);
    }

    /// <summary>destination[i] = k dy[i] + a x[i] + b (batch norm's input gradient, with k, a and b per channel).</summary>
    public static void InputGradient(ReadOnlySpan<float> dy, float k, ReadOnlySpan<float> x, float a, float b, Span<float> destination)
    {
        CheckLengths(dy.Length, x.Length, destination.Length);
        int n = x.Length, i = 0;
        ref float gr = ref MemoryMarshal.GetReference(dy);
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float dr = ref MemoryMarshal.GetReference(destination);
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> vk = Vector512.Create(k), va = Vector512.Create(a), vb = Vector512.Create(b);
            for (; i + Vector512<float>.Count <= n; i += Vector512<float>.Count)
            {
                Vector512<float> ax = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref xr, (nuint)i), va, vb);
                Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref gr, (nuint)i), vk, ax).StoreUnsafe(ref dr, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> vk = Vector256.Create(k), va = Vector256.Create(a), vb = Vector256.Create(b);
            for (; i + Vector256<float>.Count <= n; i += Vector256<float>.Count)
            {
                Vector256<float> ax = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref xr, (nuint)i), va, vb);
                Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref gr, (nuint)i), vk, ax).StoreUnsafe(ref dr, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            Vector128<float> vk = Vector128.Create(k), va = Vector128.Create(a), vb = Vector128.Create(b);
            for (; i + Vector128<float>.Count <= n; i += Vector128<float>.Count)
            {
                Vector128<float> ax = Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref xr, (nuint)i), va, vb);
                Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref gr, (nuint)i), vk, ax).StoreUnsafe(ref dr, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref dr, i) = MathF.FusedMultiplyAdd(Unsafe.Add(ref gr, i), k, MathF.FusedMultiplyAdd(Unsafe.Add(ref xr, i), a, b));
        }
    }

    private static void CheckLengths(int first, int second, int destination)
    {
        if (first != second || first != destination)
        {
            throw new ArgumentException($"Lengths differ: {first}, {second} and destination {destination}.");
        }
    }
}
