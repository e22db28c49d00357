using System.Globalization;

namespace InMood.Engine.Layers;

/// <summary>Spec settings shared by the pooling layers: kernel, stride and pads.</summary>
internal static class PoolSettings
{
    public static IEnumerable<KeyValuePair<string, string>> Of(ConvGeometry g)
    {
        yield return new("kernel", $"{g.KernelHeight}x{g.KernelWidth}");
        yield return new("stride", $"{g.StrideHeight}x{g.StrideWidth}");
        yield return new("pad", string.Create(CultureInfo.InvariantCulture, $"{g.PadTop},{g.PadLeft},{g.PadBottom},{g.PadRight}"));
    }
}
