using System.Runtime.Intrinsics;

namespace InMood.Engine.Simd;

/// <summary>An element-wise operation z = f(x, y) at every SIMD width, run by <see cref="Elementwise"/>.</summary>
public interface IBinaryOp
{
    static abstract float Apply(float x, float y);

    static abstract Vector128<float> Apply(Vector128<float> x, Vector128<float> y);

    static abstract Vector256<float> Apply(Vector256<float> x, Vector256<float> y);

    static abstract Vector512<float> Apply(Vector512<float> x, Vector512<float> y);
}
