namespace InMood.Engine.Randomness;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood 2014): a 64-bit counter stepped by the golden-ratio constant and passed
/// through a mixing function. Tiny, fast, and seedable from a hash of (seed, epoch, index), so every sample
/// gets its own stream that does not depend on which thread draws it or in which order.
/// </summary>
public struct SplitMix64
{
    private const ulong Gamma = 0x9E3779B97F4A7C15;

    private ulong _state;

    public SplitMix64(ulong seed)
    {
        _state = seed;
    }

    /// <summary>A generator for one sample: its state mixes the seed, the epoch and the sample index.</summary>
    public static SplitMix64 ForSample(ulong seed, int epoch, int index)
    {
        ulong state = Mix(seed + Gamma);
        state = Mix(state ^ (uint)epoch);
        state = Mix(state ^ ((ulong)(uint)index << 32 | 0x5A5Au));
        return new SplitMix64(state);
    }

    /// <summary>The first output of a generator seeded with <paramref name="z"/>: a counter-based hash, Mix(z + gamma).</summary>
    public static ulong Hash(ulong z) => Mix(z + Gamma);

    /// <summary>A uniform float in [0, 1) for element <paramref name="index"/> of a counter-based stream: Hash(stream + index * gamma).</summary>
    public static float Uniform(ulong stream, ulong index) => ToUnit(Hash(stream + index * Gamma));

    /// <summary>The SplitMix64 output function: a bijective avalanche of 64 bits.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        _state += Gamma;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1), 24 random bits.</summary>
    public float NextFloat() => ToUnit(NextUInt64());

    /// <summary>Uniform in [min, max).</summary>
    public float NextFloat(float min, float max) => min + (max - min) * NextFloat();

    /// <summary>Uniform integer in [min, max] inclusive.</summary>
    public int NextInt(int min, int max) => min + (int)((NextUInt64() >> 32) * (ulong)(max - min + 1) >> 32);

    /// <summary>The top 24 bits of <paramref name="bits"/> as a float in [0, 1).</summary>
    private static float ToUnit(ulong bits) => (bits >> 40) * (1f / (1 << 24));
}
