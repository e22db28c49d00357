using InMood.Engine.Formats;
using InMood.Engine.Layers;
using InMood.Engine.Networks;
using InMood.Engine.Tensors;

namespace InMood.Engine.Tests.Networks;

public class EnsembleTests
{
    [Fact]
    public void Average_ThreeMembers_OutputsTheMeanOfTheirOutputs()
    {
        Network[] members = [Member(1), Member(2), Member(3)];
        float[] x = TestData.Random(4 * 2 * 6 * 6, 9);
        float[][] outputs = [.. members.Select(m => m.Forward(x, 4, training: false).Span.ToArray())];
        float[] expected = [.. Enumerable.Range(0, outputs[0].Length).Select(i => (outputs[0][i] + outputs[1][i] + outputs[2][i]) / 3f)];

        Network ensemble = Ensemble.Average(members);
        float[] actual = ensemble.Forward(x, 4, training: false).Span.ToArray();

        TestData.AssertClose(expected, actual, 1e-5f);
        Assert.Equal(members[0].OutputShape, ensemble.OutputShape);
        Assert.Equal(members.Sum(m => m.ParameterCount), ensemble.ParameterCount);
    }

    [Fact]
    public void Average_SavedAndLoaded_KeepsItsFunction()
    {
        Network ensemble = Ensemble.Average([Member(4), Member(5)]);
        float[] x = TestData.Random(2 * 2 * 6 * 6, 10);
        float[] expected = ensemble.Forward(x, 2, training: false).Span.ToArray();
        string path = Path.Combine(Path.GetTempPath(), $"inmood-ensemble-{Guid.NewGuid():N}.safetensors");
        try
        {
            NetworkFile.Save(ensemble, path);

            Network loaded = NetworkFile.Load(path).Network;

            TestData.AssertClose(expected, loaded.Forward(x, 2, training: false).Span, 0f);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Average_MembersWithDifferentOutputs_ThrowsNamingTheMember()
    {
        var b = new NetworkBuilder(new Shape(2, 6, 6));
        b.Add("flatten", new Flatten());
        b.Add("fc", new Dense(72, 5));

        var exception = Assert.Throws<ArgumentException>(() => Ensemble.Average([Member(1), b.Build()]));

        Assert.Contains("Member 1", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Average_OneMember_Throws()
        => Assert.Throws<ArgumentException>(() => Ensemble.Average([Member(1)]));

    /// <summary>conv 3x3 (2 -> 3, fused ReLU) -> max pool -> flatten -> dense 27 -> 4, He-initialised from the seed.</summary>
    private static Network Member(int seed)
    {
        var b = new NetworkBuilder(new Shape(2, 6, 6));
        b.Add("conv", new Conv2d(2, 3, new ConvGeometry(3, 3, 1, 1, 1, 1, 1, 1)) { FusedRelu = true });
        b.Add("pool", new MaxPool2d(new ConvGeometry(2, 2, 2, 2, 0, 0, 0, 0)));
        b.Add("flatten", new Flatten());
        b.Add("logits", new Dense(27, 4));
        Network network = b.Build();
        Initializer.HeNormal(network, seed);
        return network;
    }
}
