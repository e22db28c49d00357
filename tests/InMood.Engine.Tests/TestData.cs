namespace InMood.Engine.Tests;

/// <summary>Seeded random arrays and comparison helpers shared by the engine tests.</summary>
internal static class TestData
{
    public static float[] Random(int length, int seed, float scale = 1f)
    {
        var random = new Random(seed);
        float[] values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1) * scale;
        }

        return values;
    }

    public static TheoryData<int> Lengths(int from, int to)
    {
        var data = new TheoryData<int>();
        for (int i = from; i <= to; i++)
        {
            data.Add(i);
        }

        return data;
    }

    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance, string what = "")
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            float limit = tolerance * Math.Max(1f, Math.Abs(expected[i]));
            if (!(Math.Abs(expected[i] - actual[i]) <= limit))
            {
                Assert.Fail($"{what}[{i}]: expected {expected[i]}, got {actual[i]} (tolerance {limit}).");
            }
        }
    }
}
