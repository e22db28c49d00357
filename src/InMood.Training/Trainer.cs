using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using InMood.Engine.Diagnostics;
using InMood.Engine.Formats;
using InMood.Engine.Losses;
using InMood.Engine.Networks;
using InMood.Engine.Randomness;
using InMood.Engine.Tensors;
using InMood.Engine.Threading;
using InMood.Engine.Training;
using InMood.Training.Data;
using InMood.Training.Evaluation;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace InMood.Training;

/// <summary>
/// Trains an emotion classifier on FER2013 with mini-batch SGD (or AdamW), warm-up + cosine learning rate,
/// label smoothing, gradient clipping, on-the-fly augmentation and, with teachers, knowledge distillation
/// (<see cref="KnowledgeDistillation"/> on <see cref="TeacherTargets"/>). After every epoch it evaluates on val,
/// appends a metrics line, writes a checkpoint, and keeps the best-on-val weights (batch norm folded). Val is scored,
/// and weights are written, with batch-norm statistics measured on un-augmented training images
/// (<see cref="TrainingOptions.BatchNormCalibrationImages"/>): the running averages of augmented batches taken while the
/// weights still move score 0.7-1.3 points lower at the end of FerVgg runs and up to 7 at a high learning rate.
/// On cancellation it writes a checkpoint at the current batch, so a resumed run continues exactly there.
/// </summary>
public sealed class Trainer
{
    private readonly FerDataset _train;
    private readonly FerDataset _val;
    private readonly TrainingPaths _paths;
    private readonly Network _network;
    private readonly IOptimizer _optimizer;
    private TrainingState _state;

    /// <summary>
    /// A new run. With <see cref="TrainingOptions.InitialWeights"/> set, the network starts from that checkpoint's
    /// weights and batch-norm statistics (its optimizer state and position are ignored), or from exported inference
    /// weights such as the shipped model (embedded by <see cref="NetworkWidening"/> when the run's network is wider);
    /// otherwise from He initialisation.
    /// </summary>
    public Trainer(FerDataset train, FerDataset val, TrainingOptions options, TrainingPaths paths)
        : this(train, val, paths, StandardNetworks.FerVgg(options.Dropout, options.Width), null, options, new TrainingState { TrainData = train.Fingerprint() })
    {
        if (options.InitialWeights is string from)
        {
            Checkpoint.LoadWeights(from, _network, train, options.BatchSize, (int)(options.Seed & int.MaxValue));
        }
        else
        {
            Initializer.HeNormal(_network, (int)(options.Seed & int.MaxValue));
        }
    }

    private Trainer(FerDataset train, FerDataset val, TrainingPaths paths, Network network, IOptimizer? optimizer, TrainingOptions options, TrainingState state)
    {
        if (train.Count < options.BatchSize)
        {
            throw new ArgumentException($"The training set has {train.Count} images, fewer than one batch of {options.BatchSize}.");
        }

        _train = train;
        _val = val;
        _paths = paths;
        _network = network;
        Options = options;
        _optimizer = optimizer ?? CreateOptimizer(network, options);
        _state = state;
        foreach (Engine.Layers.Dropout dropout in Checkpoint.Dropouts(network))
        {
            dropout.Seed = options.Seed;
        }
    }

    public TrainingOptions Options { get; }

    public Network Network => _network;

    public TrainingState State => _state;

    /// <summary>
    /// Continues the run saved in <paramref name="checkpoint"/> with its options. <paramref name="epochs"/>, when given,
    /// moves the end of the run (past the epoch it is in): the cosine decay is recomputed for the new length from the
    /// current step on, so during the warm-up the run is exactly one planned with that length from the start.
    /// </summary>
    public static Trainer Resume(string checkpoint, FerDataset train, FerDataset val, TrainingPaths paths, int? epochs = null)
    {
        (Network network, IOptimizer optimizer, TrainingOptions options, TrainingState state) = Checkpoint.Load(checkpoint);
        if (epochs is int total)
        {
            if (total <= state.Epoch)
            {
                throw new ArgumentException($"{checkpoint}: the run is in epoch {state.Epoch + 1}, so --epochs must be more than {state.Epoch}.");
            }

            options = options with { Epochs = total };
        }

        string data = train.Fingerprint();
        return new Trainer(train, val, paths, network, optimizer, options, state with { TrainData = data })
        {
            ResumedOnOtherData = state.TrainData is string saved && saved != data,
        };
    }

    /// <summary>
    /// True when <see cref="Resume"/> was given training images other than those the run last trained on (their
    /// <see cref="Data.FerDataset.Fingerprint"/> differs): the run goes on with them, so it is no longer the run it was.
    /// </summary>
    public bool ResumedOnOtherData { get; private init; }

    internal static IOptimizer CreateOptimizer(Network network, TrainingOptions options)
    {
        var parameters = network.Parameters();
        return options.Optimizer switch
        {
            "sgd" => new SgdNesterov(parameters, 0.9f, options.WeightDecay),
            "adamw" => new AdamW(parameters, weightDecay: options.WeightDecay),
            _ => throw new ArgumentException($"Unknown optimizer '{options.Optimizer}' (expected sgd or adamw)."),
        };
    }

    /// <summary>Runs until the last epoch or cancellation; returns true when all epochs are done.</summary>
    public bool Run(IProgress<TrainingProgress>? progress, CancellationToken cancellation)
    {
        TrainingOptions o = Options;
        int batch = o.BatchSize;
        int batches = _train.Count / batch;
        var schedule = new LearningRateSchedule(o.LearningRate, (long)o.Epochs * batches, (long)o.WarmupEpochs * batches);
        var loss = new SoftmaxCrossEntropy(FerClasses.Count, o.LabelSmoothing);
        var distillation = new KnowledgeDistillation(FerClasses.Count, o.LabelSmoothing, o.DistillationWeight, o.DistillationTemperature);
        float[]? teacherLogits = o.Teachers is { Length: > 0 } teachers ? TeacherLogits(teachers) : null;
        float[] batchTeacherLogits = new float[batch * FerClasses.Count];
        int[] targetRows = new int[batch];
        var augmenter = o.Augment ? new FerAugmenter(AugmentationOptions.Default, o.Seed) : null;
        float[] images = new float[batch * FerDataset.ImageSize];
        int[] labels = new int[batch];
        float[] probabilities = new float[batch * FerClasses.Count];
        float[] logitsGrad = new float[batch * FerClasses.Count];
        long flopsPerImage = 3 * _network.FlopsPerSample;
        double peakGflops = FmaPeak.Measure(WorkerPool.Shared, repeats: 3);

        while (_state.Epoch < o.Epochs)
        {
            int epoch = _state.Epoch;
            int[] order = Shuffle(_train.Count, o.Seed, epoch);
            var clock = Stopwatch.StartNew();
            double lossSum = _state.LossSum, secondsBefore = _state.SecondsInEpoch;
            long correct = _state.Correct, seen = _state.Seen;
            float learningRate = 0;
            for (int b = _state.Batch; b < batches; b++)
            {
                if (cancellation.IsCancellationRequested)
                {
                    _state = _state with { Batch = b, LossSum = lossSum, Correct = correct, Seen = seen, SecondsInEpoch = secondsBefore + clock.Elapsed.TotalSeconds };
                    Checkpoint.Save(_paths.Checkpoint, _network, _optimizer, o, _state);
                    return false;
                }

                FerBatchWriter.Write(_train, order.AsMemory(b * batch, batch), augmenter, epoch, parallel: true, images, labels);
                _network.ZeroGrad();
                Tensor logits = _network.Forward(images, batch, training: true);
                if (teacherLogits is null)
                {
                    lossSum += loss.Compute(logits.Span, labels, probabilities, logitsGrad) * batch;
                }
                else
                {
                    TargetRows(order.AsSpan(b * batch, batch), augmenter, o.DistillPerView, epoch, targetRows);
                    GatherRows(teacherLogits, targetRows, FerClasses.Count, batchTeacherLogits);
                    lossSum += distillation.Compute(logits.Span, batchTeacherLogits, labels, probabilities, logitsGrad) * batch;
                }

                if (!double.IsFinite(lossSum))
                {
                    throw new TrainingDivergedException(
                        $"the loss became {lossSum.ToString(CultureInfo.InvariantCulture)} in epoch {epoch + 1}, batch {b + 1}: the run diverged (a lower --lr may help); nothing of this epoch was written.");
                }

                correct += CountCorrect(probabilities, labels);
                seen += batch;
                _network.Backward(logitsGrad);
                GradientClipping.ClipByGlobalNorm(_optimizer.Parameters, o.ClipNorm);
                learningRate = schedule.At(_optimizer.Steps);
                _optimizer.Step(learningRate);
                double seconds = secondsBefore + clock.Elapsed.TotalSeconds;
                progress?.Report(new TrainingProgress(epoch + 1, o.Epochs, b + 1, batches, lossSum / seen, (double)correct / seen, seen / seconds));
            }

            double trainSeconds = secondsBefore + clock.Elapsed.TotalSeconds;
            float[][] runningStatistics = BatchNormStatistics.Snapshot(_network);
            if (o.BatchNormCalibrationImages > 0)
            {
                BatchNormStatistics.Recalibrate(_network, _train, o.BatchNormCalibrationImages, batch);
            }

            EvaluationResult val = Evaluator.Evaluate(_network, _val);
            double best = _state.BestValAccuracy;
            if (val.Accuracy > best)
            {
                best = val.Accuracy;
                InferenceModelFile.Save(_network, _paths.Weights, Options, val.Accuracy, new Dictionary<string, string> { ["inmood.epoch"] = (epoch + 1).ToString(CultureInfo.InvariantCulture) });
            }

            BatchNormStatistics.Restore(_network, runningStatistics);

            var metrics = new EpochMetrics(
                epoch + 1, lossSum / seen, (double)correct / seen, val.Loss, val.Accuracy, learningRate,
                trainSeconds, seen / trainSeconds, seen * (double)flopsPerImage / trainSeconds / 1e9, peakGflops);
            AppendMetrics(metrics);
            _state = new TrainingState { Epoch = epoch + 1, BestValAccuracy = best, TrainData = _state.TrainData, TeacherLogits = _state.TeacherLogits, TeacherLogitsData = _state.TeacherLogitsData };
            Checkpoint.Save(_paths.Checkpoint, _network, _optimizer, o, _state);
        }

        return true;
    }

    /// <summary>
    /// The teachers' targets on the training set: those the run's checkpoint keeps when they belong to the same images,
    /// otherwise computed now (about 6 minutes for four FerVgg teachers on FER2013's 28,709 images) and kept in the
    /// state, so every later checkpoint carries them and a resumed run uses the targets it started with.
    /// </summary>
    private float[] TeacherLogits(string[] teachers)
    {
        string data = _state.TrainData!;
        int views = Options.DistillPerView ? 2 : 1;
        if (_state.TeacherLogits is float[] kept && _state.TeacherLogitsData == data && kept.Length == _train.Count * views * FerClasses.Count)
        {
            return kept;
        }

        float[] computed = TeacherTargets.Compute(teachers, _train, Options.DistillPerView);
        _state = _state with { TeacherLogits = computed, TeacherLogitsData = data };
        return computed;
    }

    private void AppendMetrics(EpochMetrics metrics)
    {
        string line = JsonSerializer.Serialize(metrics, TrainingJsonContext.Default.EpochMetrics) + "\n";
        string? folder = Path.GetDirectoryName(Path.GetFullPath(_paths.MetricsLog));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        File.AppendAllText(_paths.MetricsLog, line);
    }

    /// <summary>
    /// The row of the teachers' targets for each sample of a batch: its index, or per view 2 index + 1 when the
    /// augmenter mirrors it in <paramref name="epoch"/> (2 index without augmentation). Shapes: indices [N], rows [N].
    /// </summary>
    internal static void TargetRows(ReadOnlySpan<int> indices, FerAugmenter? augmenter, bool perView, int epoch, Span<int> rows)
    {
        for (int i = 0; i < indices.Length; i++)
        {
            int index = indices[i];
            rows[i] = !perView ? index : (2 * index) + (augmenter is not null && augmenter.Flips(epoch, index) ? 1 : 0);
        }
    }

    /// <summary>destination[i] = rows[indices[i]]. Shapes: rows [M, K], indices [N], destination [N, K].</summary>
    private static void GatherRows(ReadOnlySpan<float> rows, ReadOnlySpan<int> indices, int width, Span<float> destination)
    {
        for (int i = 0; i < indices.Length; i++)
        {
            rows.Slice(indices[i] * width, width).CopyTo(destination.Slice(i * width, width));
        }
    }

    private static int CountCorrect(ReadOnlySpan<float> probabilities, ReadOnlySpan<int> labels)
    {
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (TensorPrimitives.IndexOfMax(probabilities.Slice(i * FerClasses.Count, FerClasses.Count)) == labels[i])
            {
                correct++;
            }
        }

        return correct;
    }

    /// <summary>A permutation of [0, count) that depends only on (seed, epoch): Fisher-Yates over a SplitMix64 stream.</summary>
    internal static int[] Shuffle(int count, ulong seed, int epoch)
    {
        int[] order = Enumerable.Range(0, count).ToArray();
        var random = new SplitMix64(SplitMix64.Mix(seed ^ SplitMix64.Mix((ulong)epoch + 0x5EED)));
        for (int i = count - 1; i > 0; i--)
        {
            int j = (int)(random.NextUInt64() % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }
}
