using System.Runtime.Intrinsics;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace InMood.Onnx.Compiled;

/// <summary>
/// Gemm with constant weights on one image: y[j] = b[j] + sum over k of W[j, k] x[k], with ONNX's alpha, beta and
/// transB folded into W [N, K] and b [N] when the model is compiled (a dense layer, as the engine exports it).
/// Shapes: x [1, K], W [N, K], b [N], y [1, N]. Parts split the outputs j. A large layer in a batch of several
/// images runs once for the whole batch instead (<see cref="ExecuteBatch"/>).
/// </summary>
internal sealed unsafe class GemmStep : Step
{
    private readonly float[] _weight;
    private readonly float[] _bias;

    public GemmStep(string name, Slot x, Slot y, float[] weight, float[] bias)
        : base(name, [x], y)
    {
        _weight = weight;
        _bias = bias;
    }

    public override string Kind => "Gemm";

    public override int Parts(int workers) => (int)Math.Clamp((long)_weight.Length / 100_000, 1, workers);

    /// <summary>Weights (N x K floats) from which a batch runs this layer once for all its images (<see cref="ExecuteBatch"/>).</summary>
    public const int BatchedWeights = 1 << 18;

    /// <summary>Rows of W each pass over the images reads (16 x K floats, e.g. 147 KB for FerVgg's fc1, which stay in L2).</summary>
    private const int RowBlock = 16;

    public int Weights => _weight.Length;

    /// <summary>Parts the batched layer splits its outputs j into for <paramref name="workers"/> workers.</summary>
    public int BatchParts(int workers) => Math.Clamp(_bias.Length / (4 * RowBlock), 1, workers);

    /// <summary>
    /// The layer for the first <paramref name="images"/> images at once, x and y being <see cref="SlotKind.Batched"/>:
    /// blocks of 16 rows of W are read once per batch and stay in L2 while every image's x meets them (four images by
    /// four rows at a time), instead of the whole of W streaming from memory once per image. Each y[i, j] adds up in
    /// the same order as in <see cref="Execute"/> (<see cref="Dot"/>), so the results are identical.
    /// </summary>
    public void ExecuteBatch(RunState state, int images, int part, int parts)
    {
        int n = _bias.Length, k = _weight.Length / n;
        float* x = state.Address(Inputs[0], 0, 0);
        float* y = state.Address(Output, 0, 0);
        (int begin, int end) = Range(n, part, parts, RowBlock);
        fixed (float* w = _weight, bias = _bias)
        {
            for (int j0 = begin; j0 < end; j0 += RowBlock)
            {
                int j1 = Math.Min(j0 + RowBlock, end);
                int image = 0;
                for (; Vector512.IsHardwareAccelerated && image + 4 <= images; image += 4)
                {
                    int j = j0;
                    for (; j + 4 <= j1; j += 4)
                    {
                        Dot4x4(x + ((long)image * k), w + ((long)j * k), k, bias + j, y + ((long)image * n) + j, n);
                    }

                    for (; j < j1; j++)
                    {
                        for (int i = image; i < image + 4; i++)
                        {
                            y[((long)i * n) + j] = bias[j] + Dot(x + ((long)i * k), w + ((long)j * k), k);
                        }
                    }
                }

                for (; image < images; image++)
                {
                    for (int j = j0; j < j1; j++)
                    {
                        y[((long)image * n) + j] = bias[j] + Dot(x + ((long)image * k), w + ((long)j * k), k);
                    }
                }
            }
        }
    }

    /// <summary>
    /// x . w as 16 lanewise partial sums over k in steps of 16, summed at the end, then the k mod 16 tail: the one
    /// order of additions every path of this step uses, so a batch's results equal those of its images run alone.
    /// </summary>
    private static float Dot(float* x, float* w, int k)
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            return TensorPrimitives.Dot(new ReadOnlySpan<float>(x, k), new ReadOnlySpan<float>(w, k));
        }

        Vector512<float> acc = Vector512<float>.Zero;
        int p = 0;
        for (; p + Vector512<float>.Count <= k; p += Vector512<float>.Count)
        {
            acc = Vector512.FusedMultiplyAdd(Vector512.Load(x + p), Vector512.Load(w + p), acc);
        }

        float sum = Vector512.Sum(acc);
        for (; p < k; p++)
        {
            sum += x[p] * w[p];
        }

        return sum;
    }

    /// <summary>
    /// <see cref="Dot"/> for 4 images x 4 rows of W at once (16 accumulators, each x and W vector loaded once per step
    /// for four products): y[i, j] = b[j] + x_i . w_j, with y's row stride ldy. Needs Vector512.
    /// </summary>
    private static void Dot4x4(float* x, float* w, int k, float* bias, float* y, int ldy)
    {
        Vector512<float> a00 = default, a01 = default, a02 = default, a03 = default, a10 = default, a11 = default, a12 = default, a13 = default;
        Vector512<float> a20 = default, a21 = default, a22 = default, a23 = default, a30 = default, a31 = default, a32 = default, a33 = default;
        float* x1 = x + k, x2 = x1 + k, x3 = x2 + k, w1 = w + k, w2 = w1 + k, w3 = w2 + k;
        int p = 0;
        for (; p + Vector512<float>.Count <= k; p += Vector512<float>.Count)
        {
            Vector512<float> v0 = Vector512.Load(w + p), v1 = Vector512.Load(w1 + p), v2 = Vector512.Load(w2 + p), v3 = Vector512.Load(w3 + p);
            Vector512<float> u = Vector512.Load(x + p);
            a00 = Vector512.FusedMultiplyAdd(u, v0, a00); a01 = Vector512.FusedMultiplyAdd(u, v1, a01); a02 = Vector512.FusedMultiplyAdd(u, v2, a02); a03 = Vector512.FusedMultiplyAdd(u, v3, a03);
            u = Vector512.Load(x1 + p);
            a10 = Vector512.FusedMultiplyAdd(u, v0, a10); a11 = Vector512.FusedMultiplyAdd(u, v1, a11); a12 = Vector512.FusedMultiplyAdd(u, v2, a12); a13 = Vector512.FusedMultiplyAdd(u, v3, a13);
            u = Vector512.Load(x2 + p);
            a20 = Vector512.FusedMultiplyAdd(u, v0, a20); a21 = Vector512.FusedMultiplyAdd(u, v1, a21); a22 = Vector512.FusedMultiplyAdd(u, v2, a22); a23 = Vector512.FusedMultiplyAdd(u, v3, a23);
            u = Vector512.Load(x3 + p);
            a30 = Vector512.FusedMultiplyAdd(u, v0, a30); a31 = Vector512.FusedMultiplyAdd(u, v1, a31); a32 = Vector512.FusedMultiplyAdd(u, v2, a32); a33 = Vector512.FusedMultiplyAdd(u, v3, a33);
        }

        ReadOnlySpan<Vector512<float>> sums = [a00, a01, a02, a03, a10, a11, a12, a13, a20, a21, a22, a23, a30, a31, a32, a33];
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                float sum = Vector512.Sum(sums[(i * 4) + j]);
                for (int q = p; q < k; q++)
                {
                    sum += x[((long)i * k) + q] * w[((long)j * k) + q];
                }

                y[(i * ldy) + j] = bias[j] + sum;
            }
        }
    }

    public override void Execute(RunState state, int image, int arena, int worker, int part, int parts)
    {
        int n = _bias.Length, k = _weight.Length / n;
        float* x = state.Address(Inputs[0], image, arena);
        float* y = state.Address(Output, image, arena);
        (int begin, int end) = Range(n, part, parts, 1);
        fixed (float* w = _weight)
        {
            for (int j = begin; j < end; j++)
            {
                y[j] = _bias[j] + Dot(x, w + ((long)j * k), k);
            }
        }
    }
}
