using InMood.Onnx.Execution;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InMood.Onnx.Tests.Execution;

/// <summary>Runs the same model bytes on ONNX Runtime and on <see cref="OnnxExecutor"/> and compares every output.</summary>
internal static class OnnxRuntimeParity
{
    /// <summary>Returns the largest |ours - ORT| / max(1, |ORT|) over all outputs; asserts equal shapes.</summary>
    public static double MaxRelativeError(byte[] modelBytes, Dictionary<string, OnnxValue> feeds)
    {
        using var session = new InferenceSession(modelBytes);
        NamedOnnxValue[] ortFeeds = [.. feeds.Select(f => NamedOnnxValue.CreateFromTensor(f.Key, new DenseTensor<float>(f.Value.Floats!, f.Value.Shape)))];
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> expected = session.Run(ortFeeds);

        Dictionary<string, OnnxValue> actual = new OnnxExecutor(OnnxReader.Read(modelBytes)).Run(feeds);

        double worst = 0;
        foreach (DisposableNamedOnnxValue output in expected)
        {
            Tensor<float> reference = output.AsTensor<float>();
            OnnxValue ours = actual[output.Name];
            Assert.Equal(reference.Dimensions.ToArray(), ours.Shape);
            int i = 0;
            foreach (float value in reference)
            {
                double error = Math.Abs(ours.Floats![i++] - value) / Math.Max(1.0, Math.Abs(value));
                worst = Math.Max(worst, error);
            }
        }

        return worst;
    }

    /// <summary>Random feeds in [-1, 1) for the given shapes.</summary>
    public static Dictionary<string, OnnxValue> RandomFeeds(IEnumerable<(string Name, int[] Shape)> shapes, int seed)
    {
        var feeds = new Dictionary<string, OnnxValue>(StringComparer.Ordinal);
        foreach ((string name, int[] shape) in shapes)
        {
            feeds[name] = OnnxValue.FromFloats(shape, TestGraphs.Random(OnnxValue.SizeOf(shape), seed++));
        }

        return feeds;
    }
}
