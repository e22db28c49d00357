namespace InMood.Cli.Tests.Classification;

/// <summary>
/// A fact that needs FER2013's validation crops (<see cref="TestPaths.FerValidation"/>); it is skipped, saying where it
/// looked, when they are absent, instead of passing without having run.
/// </summary>
internal sealed class FerValidationFactAttribute : FactAttribute
{
    public FerValidationFactAttribute()
    {
        if (!TestPaths.HasFer)
        {
            Skip = $"FER2013 not found: expected its val/ folder at {TestPaths.FerValidation}";
        }
    }
}
