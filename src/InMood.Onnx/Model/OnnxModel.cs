namespace InMood.Onnx.Model;

/// <summary>
/// A whole ONNX model (ONNX <c>ModelProto</c>). The defaults are what <see cref="OnnxWriter"/>
/// emits for graphs built in code: IR version 8 and standard opset 13.
/// </summary>
public sealed class OnnxModel
{
    /// <summary>The standard opset version our writer targets.</summary>
    public const long DefaultOpset = 13;

    public long IrVersion { get; init; } = 8;

    public string ProducerName { get; init; } = "InMood";

    public List<OnnxOpsetImport> OpsetImports { get; init; } = [new OnnxOpsetImport("", DefaultOpset)];

    public OnnxGraph Graph { get; init; } = new();

    /// <summary>The version of the standard ("" or "ai.onnx") opset, or 0 when none is imported.</summary>
    public long Opset
    {
        get
        {
            foreach (OnnxOpsetImport import in OpsetImports)
            {
                if (OnnxLimits.IsStandardDomain(import.Domain))
                {
                    return import.Version;
                }
            }

            return 0;
        }
    }
}
