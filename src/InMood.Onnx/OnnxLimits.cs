namespace InMood.Onnx;

/// <summary>
/// The bounds <see cref="OnnxReader"/> enforces. They sit far above our models (BlazeFace has
/// ~100 nodes and 134,740 parameters) and far below what would exhaust memory.
/// </summary>
public static class OnnxLimits
{
    /// <summary>Largest model file read: 1 GiB (protobuf itself cannot exceed 2 GiB).</summary>
    public const long MaxFileBytes = 1L << 30;

    /// <summary>Most nodes in one graph.</summary>
    public const int MaxNodes = 100_000;

    /// <summary>Most initializers in one graph.</summary>
    public const int MaxInitializers = 100_000;

    /// <summary>Highest tensor rank accepted, for tensors and declared shapes.</summary>
    public const int MaxRank = 16;

    /// <summary>Most elements in one tensor (1 GiB of floats).</summary>
    public const long MaxTensorElements = 1L << 28;

    /// <summary>Lowest standard opset version read.</summary>
    public const long MinOpset = 11;

    /// <summary>Highest standard opset version read.</summary>
    public const long MaxOpset = 17;

    /// <summary>Lowest IR version read (3 introduced opset_import).</summary>
    public const long MinIrVersion = 3;

    /// <summary>Highest IR version read.</summary>
    public const long MaxIrVersion = 11;

    /// <summary>True for the standard ONNX operator domain, spelled "" or "ai.onnx".</summary>
    public static bool IsStandardDomain(string domain) => domain.Length == 0 || domain == "ai.onnx";
}
