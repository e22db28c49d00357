using InMood.Onnx.Model;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InMood.Onnx.Tests;

/// <summary>Proves the writer: ONNX Runtime loads graphs we serialise and computes what the ops define.</summary>
public sealed class OnnxRuntimeTests
{
    [Fact]
    public void Write_ConvReluGraph_OnnxRuntimeMatchesDirectConvolution()
    {
        float[] weight = TestGraphs.Random(3 * 2 * 3 * 3, 11);
        float[] bias = TestGraphs.Random(3, 12);
        float[] x = TestGraphs.Random(1 * 2 * 5 * 5, 13);
        byte[] bytes = OnnxWriter.Write(TestGraphs.ConvRelu(weight, bias));

        float[] y = Run(bytes, x, [1, 2, 5, 5]);

        float[] expected = ConvReluReference(x, weight, bias);
        Assert.Equal(expected.Length, y.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - y[i]) <= 1e-5f, $"y[{i}] = {y[i]}, expected {expected[i]}");
        }
    }

    [Fact]
    public void Write_ShapeOpsGraph_OnnxRuntimeMatchesDirectComputation()
    {
        float[] constant = TestGraphs.Random(6, 21);
        float[] gemmWeight = TestGraphs.Random(12, 22);
        float[] gemmBias = TestGraphs.Random(4, 23);
        float[] x = TestGraphs.Random(6, 24);
        byte[] bytes = OnnxWriter.Write(TestGraphs.ShapeOps(constant, gemmWeight, gemmBias));

        float[] y = Run(bytes, x, [2, 3]);

        var expected = new float[8];
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                float sum = 0;
                for (int k = 0; k < 3; k++)
                {
                    // Reshape [2,3] -> [3,2] keeps the flat order; Transpose gives t[i,k] = x_flat[k * 2 + i].
                    float a = x[(k * 2) + i] + constant[(i * 3) + k];
                    sum += a * gemmWeight[(k * 4) + j];
                }

                expected[(i * 4) + j] = (0.5f * sum) + (2f * gemmBias[j]);
            }
        }

        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - y[i]) <= 1e-5f, $"y[{i}] = {y[i]}, expected {expected[i]}");
        }
    }

    private static float[] Run(byte[] model, float[] x, int[] shape)
    {
        using var session = new InferenceSession(model);
        var input = new DenseTensor<float>(x, shape);
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run([NamedOnnxValue.CreateFromTensor("x", input)]);
        return [.. results.Single().AsTensor<float>()];
    }

    /// <summary>
    /// Direct definition: y[oc, oh, ow] = max(0, B[oc] + sum W[oc, ic, kh, kw] x[ic, 2 oh + kh - 1, 2 ow + kw - 1]).
    /// Shapes: x [1, 2, 5, 5], W [3, 2, 3, 3], B [3], y [1, 3, 3, 3].
    /// </summary>
    private static float[] ConvReluReference(float[] x, float[] weight, float[] bias)
    {
        var y = new float[3 * 3 * 3];
        for (int oc = 0; oc < 3; oc++)
        {
            for (int oh = 0; oh < 3; oh++)
            {
                for (int ow = 0; ow < 3; ow++)
                {
                    float sum = bias[oc];
                    for (int ic = 0; ic < 2; ic++)
                    {
                        for (int kh = 0; kh < 3; kh++)
                        {
                            for (int kw = 0; kw < 3; kw++)
                            {
                                int h = (oh * 2) + kh - 1;
                                int w = (ow * 2) + kw - 1;
                                if (h >= 0 && h < 5 && w >= 0 && w < 5)
                                {
                                    sum += weight[(((oc * 2) + ic) * 9) + (kh * 3) + kw] * x[(ic * 25) + (h * 5) + w];
                                }
                            }
                        }
                    }

                    y[(oc * 9) + (oh * 3) + ow] = Math.Max(0f, sum);
                }
            }
        }

        return y;
    }
}
