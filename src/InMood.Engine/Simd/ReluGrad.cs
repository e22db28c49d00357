using System.Runtime.Intrinsics;

namespace InMood.Engine.Simd;

/// <summary>ReLU backward: dx = x &gt; 0 ? dy : 0 (x is the ReLU input or output; both have the same sign pattern).</summary>
public readonly struct ReluGrad : IBinaryOp
{
    public static float Apply(float x, float dy) => x > 0f ? dy : 0f;

    public static Vector128<float> Apply(Vector128<float> x, Vector128<float> dy) => Vector128.GreaterThan(x, Vector128<float>.Zero) & dy;

    public static Vector256<float> Apply(Vector256<float> x, Vector256<float> dy) => Vector256.GreaterThan(x, Vector256<float>.Zero) & dy;

    public static Vector512<float> Apply(Vector512<float> x, Vector512<float> dy) => Vector512.GreaterThan(x, Vector512<float>.Zero) & dy;
}
