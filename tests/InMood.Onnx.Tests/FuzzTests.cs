using System.Diagnostics;

namespace InMood.Onnx.Tests;

/// <summary>
/// Randomly damaged models must either load or throw <see cref="InvalidDataException"/>: never
/// another exception type, never a hang, never an allocation driven by a bogus length.
/// </summary>
public sealed class FuzzTests
{
    private const int Iterations = 3000;
    private static readonly TimeSpan s_perModelLimit = TimeSpan.FromSeconds(2);

    [Fact]
    public void Read_MutatedAndTruncatedModels_LoadOrThrowInvalidData()
    {
        List<byte[]> seeds =
        [
            OnnxWriter.Write(TestGraphs.ConvRelu(TestGraphs.Random(54, 1), TestGraphs.Random(3, 2))),
            OnnxWriter.Write(TestGraphs.ShapeOps(TestGraphs.Random(6, 3), TestGraphs.Random(12, 4), TestGraphs.Random(4, 5))),
            OnnxWriter.Write(TestGraphs.EveryFeature()),
        ];
        if (TestPaths.HasModels)
        {
            seeds.Add(File.ReadAllBytes(TestPaths.BlazeFaceBack));
            seeds.Add(File.ReadAllBytes(TestPaths.BigXception));
        }

        var random = new Random(20240611);
        int loaded = 0;
        int rejected = 0;
        var total = Stopwatch.StartNew();

        for (int iteration = 0; iteration < Iterations; iteration++)
        {
            byte[] seed = seeds[iteration % seeds.Count];
            byte[] mutant = Mutate(seed, random, out string how);
            var clock = Stopwatch.StartNew();
            try
            {
                OnnxReader.Read(mutant);
                loaded++;
            }
            catch (InvalidDataException)
            {
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"Iteration {iteration} (seed {iteration % seeds.Count}, {how}) threw {e.GetType().Name}: {e.Message}");
            }

            Assert.True(clock.Elapsed < s_perModelLimit, $"Iteration {iteration} ({how}) took {clock.Elapsed.TotalMilliseconds:F0} ms.");
        }

        Assert.Equal(Iterations, loaded + rejected);
        Assert.True(rejected > 0, "No mutation was rejected; the mutator is not doing its job.");
        Assert.True(total.Elapsed < TimeSpan.FromSeconds(60), $"Fuzzing took {total.Elapsed.TotalSeconds:F1} s.");
    }

    private static byte[] Mutate(byte[] seed, Random random, out string how)
    {
        int position = random.Next(seed.Length);
        switch (random.Next(6))
        {
            case 0:
                how = $"truncated to {position} bytes";
                return seed[..position];
            case 1:
            {
                byte[] copy = [.. seed];
                int flips = random.Next(1, 9);
                for (int i = 0; i < flips; i++)
                {
                    copy[random.Next(copy.Length)] = (byte)random.Next(256);
                }

                how = $"{flips} random bytes";
                return copy;
            }

            case 2:
            {
                byte[] copy = [.. seed];
                int run = Math.Min(random.Next(1, 11), copy.Length - position);
                copy.AsSpan(position, run).Fill(0xFF);
                how = $"{run} bytes of 0xFF at {position}";
                return copy;
            }

            case 3:
            {
                int count = random.Next(1, 17);
                byte[] noise = new byte[count];
                random.NextBytes(noise);
                how = $"{count} bytes inserted at {position}";
                return [.. seed.AsSpan(0, position), .. noise, .. seed.AsSpan(position)];
            }

            case 4:
            {
                int count = Math.Min(random.Next(1, 65), seed.Length - position);
                how = $"{count} bytes deleted at {position}";
                return [.. seed.AsSpan(0, position), .. seed.AsSpan(position + count)];
            }

            default:
            {
                // NOTE: small bit flips near the front hit tags and lengths far more often than weights do.
                byte[] copy = [.. seed];
                int front = random.Next(Math.Min(copy.Length, 4096));
                copy[front] ^= (byte)(1 << random.Next(8));
                how = $"bit flip at {front}";
                return copy;
            }
        }
    }
}
