using System.Text.Json.Serialization;
using InMood.Training.Data;
using InMood.Training.Evaluation;

namespace InMood.Cli.Output;

/// <summary>
/// The JSON form of an evaluation (<c>inmood eval --format json</c>); <c>views</c> is identity, flip or ten-crop, and
/// <c>tta</c> is true for the last two.
/// </summary>
internal sealed record EvaluationReport(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("data")] string Data,
    [property: JsonPropertyName("tta")] bool Tta,
    [property: JsonPropertyName("views")] string Views,
    [property: JsonPropertyName("images")] int Images,
    [property: JsonPropertyName("accuracy")] double Accuracy,
    [property: JsonPropertyName("macro_f1")] double MacroF1,
    [property: JsonPropertyName("loss")] double Loss,
    [property: JsonPropertyName("classes")] IReadOnlyList<string> Classes,
    [property: JsonPropertyName("per_class")] IReadOnlyList<ClassReport> PerClass,
    [property: JsonPropertyName("confusion")] int[][] Confusion,
    [property: JsonPropertyName("seconds")] double Seconds)
{
    public static EvaluationReport From(EvaluationResult result, string model, string data, TestTimeViews views, double seconds) => new(
        model, data, views != TestTimeViews.Identity, ViewsName(views), result.Matrix.Total, result.Accuracy, result.Matrix.MacroF1, result.Loss, result.Matrix.ClassNames,
        result.Matrix.PerClass().Select(c => new ClassReport(c.Name, c.Precision, c.Recall, c.F1, c.Support)).ToList(),
        result.Matrix.ToRows(), seconds);

    /// <summary>The name of a set of test-time views in the report and on the command line: identity, flip or ten-crop.</summary>
    public static string ViewsName(TestTimeViews views) => views switch
    {
        TestTimeViews.IdentityAndFlip => "flip",
        TestTimeViews.TenCrop => "ten-crop",
        TestTimeViews.Identity => "identity",
        _ => throw new ArgumentOutOfRangeException(nameof(views), views, "no name for these test-time views"),
    };
}
