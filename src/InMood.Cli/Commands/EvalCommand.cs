using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using InMood.Cli.Models;
using InMood.Cli.Output;
using InMood.Cli.Plots;
using InMood.Engine.Networks;
using InMood.Engine.Threading;
using InMood.Training.Data;
using InMood.Training.Evaluation;
using Spectre.Console;

namespace InMood.Cli.Commands;

/// <summary>
/// <c>inmood eval</c>: accuracy, macro F1, per-class metrics and the confusion matrix of an emotion model on
/// labelled 48x48 face crops (no face detection). Exit codes: 0 done, 1 bad data or model, 2 usage error.
/// </summary>
internal static class EvalCommand
{
    /// <summary>The views --tta accepts, by <see cref="EvaluationReport.ViewsName"/>; the first is the one a bare --tta means.</summary>
    private static readonly TestTimeViews[] s_ttaViews = [TestTimeViews.TenCrop, TestTimeViews.IdentityAndFlip];

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Labelled faces: class folders (or a folder with val/), or fer2013.csv (PublicTest rows).", Required = true };
        var model = new Option<string?>("--model") { Description = "Model file (.safetensors); default: the shipped model." };
        var tta = new Option<string?>("--tta")
        {
            Description = "Average predictions over test-time views: ten-crop (the default when no value is given: five crops and their mirrors) or flip (the image and its mirror).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        tta.AcceptOnlyFromAmong([.. s_ttaViews.Select(EvaluationReport.ViewsName)]);
        var format = new Option<string>("--format") { Description = "table or json.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var plot = new Option<string?>("--plot") { Description = "Also write the confusion matrix as a PNG heat map." };
        var threads = new Option<int?>("--threads") { Description = "Worker threads (default: all cores)." };
        var command = new Command("eval", "Evaluate an emotion model on labelled face crops.");
        foreach (Option option in (Option[])[data, model, tta, format, plot, threads])
        {
            command.Options.Add(option);
        }

        command.SetAction(parseResult =>
        {
            TextWriter output = parseResult.InvocationConfiguration.Output;
            TextWriter error = parseResult.InvocationConfiguration.Error;
            if (parseResult.GetValue(threads) is int n)
            {
                if (n < 1)
                {
                    error.WriteLine("inmood eval: --threads must be at least 1.");
                    return 2;
                }

                WorkerPool.SetSharedWorkers(n);
            }

            string dataPath = parseResult.GetValue(data)!;
            string? modelPath = parseResult.GetValue(model);
            string? ttaName = parseResult.GetValue(tta);
            TestTimeViews views = parseResult.GetResult(tta) is null ? TestTimeViews.Identity
                : s_ttaViews.FirstOrDefault(v => EvaluationReport.ViewsName(v) == ttaName, s_ttaViews[0]);
            try
            {
                Network network = EmotionModel.Load(modelPath);
                FerDataset dataset = DatasetResolver.LoadEval(dataPath);
                var clock = Stopwatch.StartNew();
                EvaluationResult result = Evaluator.Evaluate(network, dataset, views);
                var report = EvaluationReport.From(result, modelPath ?? "shipped", dataPath, views, clock.Elapsed.TotalSeconds);
                if (parseResult.GetValue(format) == "json")
                {
                    output.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Readable.EvaluationReport));
                }
                else
                {
                    WriteTables(report, output);
                }

                if (parseResult.GetValue(plot) is string png)
                {
                    ConfusionMatrixPlot.Write(result.Matrix, png);
                }

                return 0;
            }
            catch (Exception e) when (e is DatasetException or InvalidDataException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"inmood eval: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static void WriteTables(EvaluationReport report, TextWriter output)
    {
        IAnsiConsole console = TableConsole.Create(output);
        console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{report.Images} images, accuracy {report.Accuracy:P2}, macro F1 {report.MacroF1:F4}{(report.Tta ? $" ({report.Views} TTA)" : "")}, {report.Seconds:F1} s"));
        var classes = new Table().AddColumns("class", "precision", "recall", "F1", "support");
        foreach (ClassReport c in report.PerClass)
        {
            classes.AddRow(c.Name, F(c.Precision), F(c.Recall), F(c.F1), c.Support.ToString(CultureInfo.InvariantCulture));
        }

        console.Write(classes);
        var confusion = new Table().AddColumn("actual \\ predicted");
        foreach (string name in report.Classes)
        {
            confusion.AddColumn(name);
        }

        for (int i = 0; i < report.Classes.Count; i++)
        {
            confusion.AddRow([report.Classes[i], .. report.Confusion[i].Select(v => v.ToString(CultureInfo.InvariantCulture))]);
        }

        console.Write(confusion);
    }

    private static string F(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
}
