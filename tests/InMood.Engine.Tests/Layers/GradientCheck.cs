using InMood.Engine.Layers;
using InMood.Engine.Tensors;

namespace InMood.Engine.Tests.Layers;

/// <summary>
/// Checks a layer's Backward against central finite differences of L = dot(dy, y) for a fixed random dy,
/// for every input element and parameter element (or a seeded sample of them on large tensors).
/// </summary>
internal static class GradientCheck
{
    public static void Run(Layer layer, Shape[] inputShapes, int batch, int seed = 1, Action? beforeForward = null, float step = 1e-2f, float tolerance = 2e-3f)
    {
        Shape outShape = layer.OutputShape(inputShapes);
        Tensor[] inputs = inputShapes.Select((s, i) => Filled(s, batch, seed + i)).ToArray();
        var output = new Tensor(outShape);
        output.Resize(batch);
        float[] dy = TestData.Random(batch * outShape.Size, seed + 100);
        var outputGrad = new Tensor(outShape);
        outputGrad.Resize(batch);
        dy.CopyTo(outputGrad.Span);
        Tensor?[] inputGrads = inputShapes.Select(s => (Tensor?)Filled(s, batch, seed + 200)).ToArray();
        foreach (Parameter p in layer.Parameters)
        {
            float[] init = TestData.Random(p.Value.Length, seed + 300 + p.Value.Length, 0.5f);
            init.CopyTo(p.Value, 0);
            Array.Clear(p.Grad);
        }

        double Loss()
        {
            beforeForward?.Invoke();
            layer.Forward(inputs, output, training: true);
            double sum = 0;
            ReadOnlySpan<float> y = output.Span;
            for (int i = 0; i < y.Length; i++)
            {
                sum += (double)dy[i] * y[i];
            }

            return sum;
        }

        Loss();
        layer.Backward(inputs, output, outputGrad, inputGrads);

        for (int t = 0; t < inputs.Length; t++)
        {
            Compare(inputs[t].Data, inputGrads[t]!.Span.ToArray(), Loss, $"{layer.Kind} input {t}", step, tolerance, seed);
        }

        foreach (Parameter p in layer.Parameters)
        {
            Compare(p.Value, (float[])p.Grad.Clone(), Loss, $"{layer.Kind} {p.Name}", step, tolerance, seed);
        }
    }

    private static void Compare(float[] values, float[] analytic, Func<double> loss, string what, float step, float tolerance, int seed)
    {
        var random = new Random(seed);
        int count = analytic.Length;
        IEnumerable<int> indices = count <= 300 ? Enumerable.Range(0, count) : Enumerable.Range(0, 300).Select(_ => random.Next(count));
        foreach (int i in indices)
        {
            float saved = values[i];
            values[i] = saved + step;
            double plus = loss();
            values[i] = saved - step;
            double minus = loss();
            values[i] = saved;
            double numeric = (plus - minus) / (2 * step);
            double limit = tolerance * Math.Max(1.0, Math.Abs(numeric));
            if (!(Math.Abs(numeric - analytic[i]) <= limit))
            {
                Assert.Fail($"{what}[{i}]: finite difference {numeric:G6}, backward {analytic[i]:G6}.");
            }
        }
    }

    private static Tensor Filled(Shape shape, int batch, int seed)
    {
        var tensor = new Tensor(shape);
        tensor.Resize(batch);
        TestData.Random(batch * shape.Size, seed).CopyTo(tensor.Span);
        return tensor;
    }
}
