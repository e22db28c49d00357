using InMood.Engine.Networks;
using InMood.Engine.Training;
using InMood.Training.Tests.Data;

namespace InMood.Training.Tests;

public sealed class WeightAveragingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("inmood-averaging-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Average_ThreeCheckpoints_HoldsTheMeanOfEachWeight()
    {
        string[] paths = [Save("a", seed: 5, width: 2, init: 1), Save("b", seed: 5, width: 2, init: 2), Save("c", seed: 5, width: 2, init: 3)];
        var members = paths.Select(p => Checkpoint.Load(p).Network.Parameters()).ToArray();

        (Network averaged, TrainingOptions run) = WeightAveraging.Average(paths, FerTestData.Noise(32, seed: 32), calibrationImages: 32, batch: 8);

        Assert.Equal(5UL, run.Seed);
        var parameters = averaged.Parameters();
        for (int p = 0; p < parameters.Count; p++)
        {
            float[] value = parameters[p].Parameter.Value;
            for (int i = 0; i < value.Length; i++)
            {
                double mean = members.Average(m => (double)m[p].Parameter.Value[i]);
                Assert.True(Math.Abs(value[i] - mean) <= 1e-6 * (1 + Math.Abs(mean)), $"{parameters[p].Name}[{i}]: {value[i]}, mean {mean}");
            }
        }
    }

    [Fact]
    public void Average_CheckpointOfAnotherRun_FailsNamingIt()
    {
        string other = Save("other", seed: 6, width: 2, init: 2);

        var e = Assert.Throws<InvalidDataException>(() => WeightAveraging.Average([Save("a", seed: 5, width: 2, init: 1), other], FerTestData.Noise(8, seed: 8), 8, 8));

        Assert.Contains(other, e.Message, StringComparison.Ordinal);
        Assert.Contains("seed 6", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Average_CheckpointOfAnotherArchitecture_FailsNamingIt()
    {
        string wider = Save("wider", seed: 5, width: 4, init: 2);

        var e = Assert.Throws<InvalidDataException>(() => WeightAveraging.Average([Save("a", seed: 5, width: 2, init: 1), wider], FerTestData.Noise(8, seed: 8), 8, 8));

        Assert.Contains(wider, e.Message, StringComparison.Ordinal);
        Assert.Contains("architecture", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A checkpoint of a FerVgg of <paramref name="width"/> with He weights drawn from <paramref name="init"/>, as if written by a run with <paramref name="seed"/>.</summary>
    private string Save(string name, ulong seed, int width, int init)
    {
        var options = new TrainingOptions { Seed = seed, Width = width };
        Network network = StandardNetworks.FerVgg(options.Dropout, width);
        Initializer.HeNormal(network, init);
        string path = Path.Combine(_folder, name + ".ckpt");
        Checkpoint.Save(path, network, new SgdNesterov(network.Parameters()), options, new TrainingState { Epoch = init });
        return path;
    }
}
