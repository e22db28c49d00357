using System.CommandLine;
using System.Globalization;
using InMood.Engine.Networks;
using InMood.Engine.Threading;
using InMood.Training;
using InMood.Training.Data;
using InMood.Training.Evaluation;

namespace InMood.Cli.Commands;

/// <summary>
/// <c>inmood average</c>: stochastic weight averaging of checkpoints of one training run (<see cref="WeightAveraging"/>),
/// with batch-norm statistics measured again on the training images; writes the model file and prints its val accuracy.
/// Exit codes: 0 done, 1 bad data or checkpoints, 2 usage error.
/// </summary>
internal static class AverageCommand
{
    public static Command Create()
    {
        var checkpoints = new Argument<string[]>("checkpoints")
        {
            Description = "Checkpoints of one training run (typically its last epochs), each written by inmood train.",
            Arity = ArgumentArity.OneOrMore,
        }.RejectingOptionLikeValues();
        var data = new Option<string>("--data") { Description = "FER2013 as for train: its training images calibrate the batch norms, its val split scores the result.", Required = true };
        var val = new Option<string?>("--val") { Description = "Validation folder or CSV, when --data has no val split." };
        var output = new Option<string>("--out") { Description = "Where to write the averaged model (.safetensors).", Required = true };
        var calibration = new Option<int>("--bn-calibration-images")
        {
            Description = "Training images the batch-norm statistics are measured on.",
            DefaultValueFactory = _ => BatchNormStatistics.DefaultImages,
        };
        var threads = new Option<int?>("--threads") { Description = "Worker threads (default: all cores)." };
        var command = new Command("average", "Average the weights of several checkpoints of one training run (stochastic weight averaging).");
        command.Arguments.Add(checkpoints);
        foreach (Option option in (Option[])[data, val, output, calibration, threads])
        {
            command.Options.Add(option);
        }

        command.SetAction(parseResult =>
        {
            TextWriter error = parseResult.InvocationConfiguration.Error;
            string outPath = parseResult.GetValue(output)!;
            if (!outPath.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
            {
                error.WriteLine($"inmood average: {outPath}: the extension must be .safetensors.");
                return 2;
            }

            string[] averaged = parseResult.GetValue(checkpoints)!;
            if (averaged.FirstOrDefault(p => FilePaths.Same(p, outPath)) is string input)
            {
                error.WriteLine($"inmood average: --out {outPath} is one of the checkpoints averaged ({input}); it would be overwritten.");
                return 2;
            }

            if (FilePaths.FirstRepeated(averaged) is string repeated)
            {
                error.WriteLine($"inmood average: {repeated} is given twice; each checkpoint counts once in the mean.");
                return 2;
            }

            if (parseResult.GetValue(calibration) < 1)
            {
                error.WriteLine("inmood average: --bn-calibration-images must be at least 1.");
                return 2;
            }

            if (parseResult.GetValue(threads) is int n)
            {
                if (n < 1)
                {
                    error.WriteLine("inmood average: --threads must be at least 1.");
                    return 2;
                }

                WorkerPool.SetSharedWorkers(n);
            }

            try
            {
                (FerDataset train, FerDataset validation) = DatasetResolver.LoadTrainAndVal(parseResult.GetValue(data)!, parseResult.GetValue(val));
                (Network network, TrainingOptions run) = WeightAveraging.Average(averaged, train, parseResult.GetValue(calibration));
                EvaluationResult result = Evaluator.Evaluate(network, validation);
                var provenance = new Dictionary<string, string> { ["inmood.averaged_from"] = string.Join(',', averaged.Select(Path.GetFileName)) };
                InferenceModelFile.Save(network, outPath, run, result.Accuracy, provenance);
                parseResult.InvocationConfiguration.Output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"wrote {outPath}: the mean of {averaged.Length} checkpoints, val accuracy {result.Accuracy:P2} on {validation.Count} images"));
                return 0;
            }
            catch (Exception e) when (e is DatasetException or InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                error.WriteLine($"inmood average: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
