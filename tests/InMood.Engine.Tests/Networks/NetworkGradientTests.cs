using InMood.Engine.Layers;
using InMood.Engine.Losses;
using InMood.Engine.Networks;
using InMood.Engine.Tensors;

namespace InMood.Engine.Tests.Networks;

public class NetworkGradientTests
{
    [Fact]
    public void Backward_WholeVggStyleNetworkWithLoss_MatchesFiniteDifferences()
    {
        // A miniature FerVgg: conv-bn-relu x2, pool, conv-bn-relu, pool, flatten, dense, relu, dense; trained-mode batch norm.
        var same = new ConvGeometry(3, 3, 1, 1, 1, 1, 1, 1);
        var pool = new ConvGeometry(2, 2, 2, 2, 0, 0, 0, 0);
        var b = new NetworkBuilder(new Shape(1, 8, 8));
        b.Add("c1", new Conv2d(1, 4, same, bias: false));
        b.Add("b1", new BatchNorm2d(4));
        b.Add("r1", new Relu());
        b.Add("c2", new Conv2d(4, 4, same, bias: false));
        b.Add("b2", new BatchNorm2d(4));
        b.Add("r2", new Relu());
        b.Add("p1", new MaxPool2d(pool));
        b.Add("c3", new Conv2d(4, 6, same, bias: false));
        b.Add("b3", new BatchNorm2d(6));
        b.Add("r3", new Relu());
        b.Add("p2", new MaxPool2d(pool));
        b.Add("flat", new Flatten());
        b.Add("fc1", new Dense(24, 10));
        b.Add("r4", new Relu());
        b.Add("fc2", new Dense(10, 3));
        Network network = b.Build();
        Initializer.HeNormal(network, seed: 2);
        const int batch = 6;
        float[] x = TestData.Random(batch * 64, 3);
        int[] labels = [0, 1, 2, 0, 1, 2];
        var loss = new SoftmaxCrossEntropy(3, labelSmoothing: 0.1f);
        float[] p = new float[batch * 3], grad = new float[batch * 3], scratch = new float[batch * 3];
        double Loss() => loss.Compute(network.Forward(x, batch, training: true).Span, labels, p, scratch);

        network.ZeroGrad();
        loss.Compute(network.Forward(x, batch, training: true).Span, labels, p, grad);
        network.Backward(grad);

        var random = new Random(4);
        foreach ((string name, Parameter parameter) in network.Parameters())
        {
            for (int t = 0; t < 6; t++)
            {
                int i = random.Next(parameter.Value.Length);
                float saved = parameter.Value[i];
                parameter.Value[i] = saved + 1e-3f;
                double plus = Loss();
                parameter.Value[i] = saved - 1e-3f;
                double minus = Loss();
                parameter.Value[i] = saved;
                double numeric = (plus - minus) / 2e-3;
                parameter.Value[i] = saved + 3e-4f;
                double plus2 = Loss();
                parameter.Value[i] = saved - 3e-4f;
                double minus2 = Loss();
                parameter.Value[i] = saved;
                double fine = (plus2 - minus2) / 6e-4;

                // NOTE: one of the two steps may straddle a ReLU or max-pool kink; the other then still agrees.
                double error = Math.Min(Math.Abs(numeric - parameter.Grad[i]), Math.Abs(fine - parameter.Grad[i]));
                Assert.True(error <= 2e-3 * Math.Max(1, Math.Abs(numeric)), $"{name}[{i}]: finite differences {numeric:G5} and {fine:G5}, backward {parameter.Grad[i]:G5}");
            }
        }
    }
}
