namespace InMood.Engine.Layers;

/// <summary>SplitMix64 finaliser as a counter-based random source: value = Mix(stream + index * golden gamma).</summary>
internal static class SplitMix
{
    public static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform float in [0, 1) for (stream, index).</summary>
    public static float Uniform(ulong stream, ulong index) => (Mix(stream + index * 0x9E3779B97F4A7C15UL) >> 40) * (1f / (1 << 24));
}
