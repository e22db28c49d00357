namespace InMood.Onnx.Tests;

/// <summary>A theory that is skipped, with the folder it looked in, when the shared reference models are absent.</summary>
internal sealed class ReferenceModelTheoryAttribute : TheoryAttribute
{
    public ReferenceModelTheoryAttribute()
    {
        if (!TestPaths.HasModels)
        {
            Skip = $"Reference ONNX models not found under {TestPaths.ModelsFolder} (expected next to the repository in shared/models).";
        }
    }
}
