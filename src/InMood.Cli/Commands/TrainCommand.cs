using System.CommandLine;
using System.Globalization;
using InMood.Cli.Plots;
using InMood.Engine.Formats;
using InMood.Engine.Threading;
using InMood.Training;
using InMood.Training.Data;

namespace InMood.Cli.Commands;

/// <summary>
/// <c>inmood train</c>: trains InMood's emotion network on FER2013, checkpointing every epoch and on Ctrl+C.
/// Exit codes: 0 finished, 1 bad data or checkpoint, 2 usage error, 130 interrupted (checkpoint written).
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "FER2013: a folder with train/ and val/ class folders, or the Kaggle fer2013.csv.", Required = true };
        var val = new Option<string?>("--val") { Description = "Validation folder or CSV, when --data has no val split." };
        var output = new Option<string>("--out") { Description = "Where to write the best-on-val weights (.safetensors).", Required = true };
        var epochs = new Option<int?>("--epochs") { Description = "Number of epochs (default 40). With --resume, moves the run's end: the cosine decay is recomputed for the new length from the current step on." };
        var batch = new Option<int?>("--batch") { Description = "Batch size (default 64)." };
        var learningRate = new Option<float?>("--lr") { Description = "Peak learning rate after warm-up (default 0.03 for sgd, 0.001 for adamw)." };
        var optimizer = new Option<string?>("--optimizer") { Description = "sgd (Nesterov momentum) or adamw (default sgd)." };
        optimizer.AcceptOnlyFromAmong("sgd", "adamw");
        var weightDecay = new Option<float?>("--weight-decay") { Description = "Weight decay (default 5e-4)." };
        var seed = new Option<ulong?>("--seed") { Description = "Seed for initialisation, shuffling, augmentation and dropout (default 1)." };
        var resume = new Option<string?>("--resume") { Description = "Continue the run saved in this checkpoint (its settings are kept, except --epochs when given)." };
        var init = new Option<string?>("--init") { Description = "Start from the weights in this checkpoint or exported model (e.g. the shipped one), with a fresh optimizer and schedule (a warm restart)." };
        var width = new Option<int?>("--width") { Description = "Channels of the network's first conv stage; the stages double it (default 32: 32-64-128-256). With --init from a narrower model, that model is embedded into the wider network with the same function." };
        var teacher = new Option<string[]>("--teacher") { Description = "Distil from this model (.safetensors): its logits on each training image and its mirror become soft targets. Give it more than once to distil from the average of several." };
        var distillWeight = new Option<float?>("--distill-weight") { Description = "Weight of the teacher's soft targets in the loss, 0-1; the labels get the rest (default 0.5)." };
        var distillTemperature = new Option<float?>("--distill-temperature") { Description = "Temperature at which student and teacher probabilities are compared (default 2)." };
        var distillPerView = new Option<bool>("--distill-per-view") { Description = "Give each training sample the teachers' answer on the view it shows (the image, or its mirror when the augmentation mirrors it) instead of the two views' average, so the student keeps a gain from --tta flip." };
        var calibration = new Option<int?>("--bn-calibration-images") { Description = $"Un-augmented training images the batch norms' statistics are measured on for each epoch's val score and the weights written (default {BatchNormStatistics.DefaultImages}); 0 uses the running averages of the augmented batches." };
        var threads = new Option<int?>("--threads") { Description = "Worker threads (default: all cores)." };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Checkpoint path (default: <out>.ckpt)." };
        var log = new Option<string?>("--log") { Description = "Per-epoch metrics, JSONL (default: <out>.metrics.jsonl)." };
        var plot = new Option<string?>("--plot") { Description = "PNG plot of the curves written at the end (default: <out>.curves.png)." };

        var command = new Command("train", "Train the emotion network on FER2013 (checkpoint every epoch; Ctrl+C saves and stops).");
        foreach (Option option in (Option[])[data, val, output, epochs, batch, learningRate, optimizer, weightDecay, seed, resume, init, width, teacher, distillWeight, distillTemperature, distillPerView, calibration, threads, checkpoint, log, plot])
        {
            command.Options.Add(option);
        }

        command.SetAction((parseResult, cancellation) =>
        {
            TextWriter error = parseResult.InvocationConfiguration.Error;
            string outPath = parseResult.GetValue(output)!;
            var paths = new TrainingPaths(
                outPath,
                parseResult.GetValue(checkpoint) ?? outPath + ".ckpt",
                parseResult.GetValue(log) ?? outPath + ".metrics.jsonl");
            if (parseResult.GetValue(threads) is int n)
            {
                if (n < 1)
                {
                    error.WriteLine("inmood train: --threads must be at least 1.");
                    return Task.FromResult(2);
                }

                WorkerPool.SetSharedWorkers(n);
            }

            if (UsageProblem(parseResult, epochs, batch, learningRate, weightDecay, width) is string usage)
            {
                error.WriteLine($"inmood train: {usage}");
                return Task.FromResult(2);
            }

            if (Path.GetExtension(outPath).Equals(".onnx", StringComparison.OrdinalIgnoreCase))
            {
                error.WriteLine("inmood train: --out takes a .safetensors name; turn the trained model into ONNX with inmood export.");
                return Task.FromResult(2);
            }

            string plotPath = parseResult.GetValue(plot) ?? outPath + ".curves.png";
            foreach ((string name, string path) in (ReadOnlySpan<(string, string)>)[("--out", outPath), ("--checkpoint", paths.Checkpoint), ("--log", paths.MetricsLog), ("--plot", plotPath)])
            {
                if (path.Length == 0 || Path.EndsInDirectorySeparator(path) || Directory.Exists(path))
                {
                    error.WriteLine($"inmood train: {name} needs a file name{(path.Length == 0 ? string.Empty : $", not the folder {path}")}.");
                    return Task.FromResult(2);
                }
            }

            if (parseResult.GetValue(distillWeight) is float a && !(a >= 0f && a <= 1f))
            {
                error.WriteLine("inmood train: --distill-weight must be between 0 and 1.");
                return Task.FromResult(2);
            }

            if (parseResult.GetValue(distillTemperature) is float t && !(t > 0f && float.IsFinite(t)))
            {
                error.WriteLine("inmood train: --distill-temperature must be a positive number.");
                return Task.FromResult(2);
            }

            if (parseResult.GetValue(calibration) is < 0)
            {
                error.WriteLine("inmood train: --bn-calibration-images must be 0 or more.");
                return Task.FromResult(2);
            }

            if (parseResult.GetValue(distillPerView) && parseResult.GetValue(teacher) is not { Length: > 0 })
            {
                error.WriteLine("inmood train: --distill-per-view needs at least one --teacher.");
                return Task.FromResult(2);
            }

            if (parseResult.GetValue(resume) is not null && parseResult.GetValue(init) is not null)
            {
                error.WriteLine("inmood train: --resume continues a run and --init starts a new one; give only one.");
                return Task.FromResult(2);
            }

            // NOTE: a mistyped model path is reported at once, not after the data set has been decoded.
            string[] models = [.. new[] { parseResult.GetValue(resume), parseResult.GetValue(init) }.OfType<string>(), .. parseResult.GetValue(teacher) ?? []];
            foreach (string path in models)
            {
                if (InputFile.WhyMissing(path) is string missing)
                {
                    error.WriteLine($"inmood train: {path}: cannot read the file ({missing})");
                    return Task.FromResult(1);
                }
            }

            try
            {
                (FerDataset train, FerDataset validation) = DatasetResolver.LoadTrainAndVal(parseResult.GetValue(data)!, parseResult.GetValue(val));
                error.WriteLine($"train: {train.Count} images, val: {validation.Count} images");
                Trainer trainer;
                if (parseResult.GetValue(resume) is string from)
                {
                    trainer = Trainer.Resume(from, train, validation, paths, parseResult.GetValue(epochs));
                    if (trainer.State.Epoch >= trainer.Options.Epochs)
                    {
                        error.WriteLine($"inmood train: {from}: the run has finished all {trainer.Options.Epochs} epochs; nothing to do (give --epochs with more to train it further).");
                        return Task.FromResult(0);
                    }

                    error.WriteLine($"resuming {from} at epoch {trainer.State.Epoch + 1}, batch {trainer.State.Batch + 1}");
                    if (trainer.ResumedOnOtherData)
                    {
                        error.WriteLine("inmood train: note: these training images differ from those the run trained on; it goes on with them, so it is no longer the run it was (--init starts a new run from its weights).");
                    }
                }
                else
                {
                    var defaults = new TrainingOptions();
                    var options = defaults with
                    {
                        Epochs = parseResult.GetValue(epochs) ?? defaults.Epochs,
                        BatchSize = parseResult.GetValue(batch) ?? defaults.BatchSize,
                        LearningRate = parseResult.GetValue(learningRate) ?? (parseResult.GetValue(optimizer) == "adamw" ? TrainingOptions.AdamWLearningRate : defaults.LearningRate),
                        Optimizer = parseResult.GetValue(optimizer) ?? defaults.Optimizer,
                        WeightDecay = parseResult.GetValue(weightDecay) ?? defaults.WeightDecay,
                        Seed = parseResult.GetValue(seed) ?? defaults.Seed,
                        Width = parseResult.GetValue(width) ?? defaults.Width,
                        InitialWeights = parseResult.GetValue(init),
                        Teachers = parseResult.GetValue(teacher) is { Length: > 0 } teachers ? teachers : null,
                        DistillationWeight = parseResult.GetValue(distillWeight) ?? defaults.DistillationWeight,
                        DistillationTemperature = parseResult.GetValue(distillTemperature) ?? defaults.DistillationTemperature,
                        DistillPerView = parseResult.GetValue(distillPerView),
                        BatchNormCalibrationImages = parseResult.GetValue(calibration) ?? defaults.BatchNormCalibrationImages,
                    };
                    trainer = new Trainer(train, validation, options, paths);
                }

                error.WriteLine($"network: {trainer.Network.ParameterCount:N0} parameters, {trainer.Network.FlopsPerSample / 1e9:F3} GFLOP per image");
                if (trainer.Options.Teachers is { Length: > 0 } distilledFrom)
                {
                    error.WriteLine($"distilling from {string.Join(" + ", distilledFrom)} (weight {trainer.Options.DistillationWeight.ToString(CultureInfo.InvariantCulture)}, temperature {trainer.Options.DistillationTemperature.ToString(CultureInfo.InvariantCulture)}, {(trainer.Options.DistillPerView ? "targets per view" : "targets averaged over the image and its mirror")})");
                }

                bool finished = TrainingProgressView.Run(trainer, error, cancellation);
                if (!finished)
                {
                    error.WriteLine($"interrupted: checkpoint written to {paths.Checkpoint}; continue with --resume {paths.Checkpoint}");
                    return Task.FromResult(130);
                }

                TrainingCurvesPlot.Write(paths.MetricsLog, plotPath);
                error.WriteLine($"done: best val accuracy {trainer.State.BestValAccuracy.ToString("P2", CultureInfo.InvariantCulture)}; weights {outPath}, curves {plotPath}");
                return Task.FromResult(0);
            }
            catch (Exception e) when (e is DatasetException or InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException or TrainingDivergedException)
            {
                error.WriteLine($"inmood train: {e.Message}");
                return Task.FromResult(1);
            }
        });
        return command;
    }

    /// <summary>The first numeric option out of its range, as a message; null when all are usable.</summary>
    private static string? UsageProblem(ParseResult parseResult, Option<int?> epochs, Option<int?> batch, Option<float?> learningRate, Option<float?> weightDecay, Option<int?> width)
    {
        if (parseResult.GetValue(epochs) is < 1)
        {
            return "--epochs must be at least 1.";
        }

        if (parseResult.GetValue(batch) is < 1)
        {
            return "--batch must be at least 1.";
        }

        if (parseResult.GetValue(learningRate) is float lr && !(lr > 0f && float.IsFinite(lr)))
        {
            return "--lr must be a positive number.";
        }

        if (parseResult.GetValue(weightDecay) is float decay && !(decay >= 0f && float.IsFinite(decay)))
        {
            return "--weight-decay must be 0 or a positive number.";
        }

        return parseResult.GetValue(width) is < 1 ? "--width must be at least 1." : null;
    }
}
