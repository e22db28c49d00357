using System.Globalization;
using System.Text.Json;
using InMood.Engine.Formats;
using InMood.Engine.Layers;
using InMood.Engine.Networks;
using InMood.Engine.Training;
using InMood.Training.Data;

namespace InMood.Training;

/// <summary>
/// A resumable training checkpoint in one safetensors file: the training network's state, the optimizer's
/// state (prefixed "optimizer."), and in the metadata the architecture, the options, the position
/// (epoch, batch), the optimizer step count, each dropout layer's mask counter and the best val accuracy; in a
/// distillation run also the teachers' targets (tensor "distillation.teacher_logits" [images, classes], or
/// [images x 2, classes] per view: 0.8 or 1.6 MB for FER2013) with the fingerprint of the training set they belong to.
/// Shuffling and augmentation are pure functions of (seed, epoch, index), so this is the whole random state.
/// </summary>
public static class Checkpoint
{
    private const string Prefix = "inmood.checkpoint.";
    private const string OptimizerPrefix = "optimizer.";
    private const string TeacherLogitsName = "distillation.teacher_logits";

    public static void Save(string path, Network network, IOptimizer optimizer, TrainingOptions options, TrainingState state)
    {
        var tensors = network.State().Select(s => new SafeTensor(s.Name, s.Shape, s.Data)).ToList();
        tensors.AddRange(optimizer.State().Select(s => new SafeTensor(OptimizerPrefix + s.Name, [s.Data.Length], s.Data)));
        var metadata = new Dictionary<string, string>
        {
            [NetworkFile.ArchitectureKey] = network.ToSpec(),
            [Prefix + "options"] = JsonSerializer.Serialize(options, TrainingJsonContext.Default.TrainingOptions),
            [Prefix + "epoch"] = Text(state.Epoch),
            [Prefix + "batch"] = Text(state.Batch),
            [Prefix + "loss_sum"] = Text(state.LossSum),
            [Prefix + "correct"] = Text(state.Correct),
            [Prefix + "seen"] = Text(state.Seen),
            [Prefix + "seconds_in_epoch"] = Text(state.SecondsInEpoch),
            [Prefix + "best_val_accuracy"] = Text(state.BestValAccuracy),
            [Prefix + "optimizer_steps"] = Text(optimizer.Steps),
            [Prefix + "dropout_steps"] = string.Join(',', Dropouts(network).Select(d => Text(d.Step))),
        };
        if (state.TrainData is string trainData)
        {
            metadata[Prefix + "train_data"] = trainData;
        }

        if (state is { TeacherLogits: float[] teacherLogits, TeacherLogitsData: string data })
        {
            tensors.Add(new SafeTensor(TeacherLogitsName, [teacherLogits.Length / FerClasses.Count, FerClasses.Count], teacherLogits));
            metadata[Prefix + "teacher_logits_data"] = data;
        }

        SafeTensors.Write(path, tensors, metadata);
    }

    /// <summary>Loads a checkpoint: the network and options it was written with, the optimizer state and the position.</summary>
    public static (Network Network, IOptimizer Optimizer, TrainingOptions Options, TrainingState State) Load(string path)
    {
        (IReadOnlyList<SafeTensor> tensors, IReadOnlyDictionary<string, string> metadata) = SafeTensors.Read(path);
        try
        {
            string Get(string key) => metadata.TryGetValue(Prefix + key, out string? v) ? v : throw new InvalidDataException($"metadata has no '{Prefix + key}'");
            TrainingOptions options = JsonSerializer.Deserialize(Get("options"), TrainingJsonContext.Default.TrainingOptions)
                ?? throw new InvalidDataException("options are null");
            if (!metadata.TryGetValue(NetworkFile.ArchitectureKey, out string? spec))
            {
                throw new InvalidDataException($"metadata has no '{NetworkFile.ArchitectureKey}'");
            }

            Network network = Network.FromSpec(spec);
            NetworkFile.LoadState(network, NetworkTensors(tensors));
            IOptimizer optimizer = Trainer.CreateOptimizer(network, options);
            var byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
            foreach ((string name, float[] data) in optimizer.State())
            {
                if (!byName.TryGetValue(OptimizerPrefix + name, out SafeTensor? saved) || saved.Data.Length != data.Length)
                {
                    throw new InvalidDataException($"{OptimizerPrefix}{name}: missing or of the wrong size");
                }

                saved.Data.CopyTo(data, 0);
            }

            optimizer.Steps = long.Parse(Get("optimizer_steps"), CultureInfo.InvariantCulture);
            string[] dropoutSteps = Get("dropout_steps").Split(',', StringSplitOptions.RemoveEmptyEntries);
            Dropout[] dropouts = Dropouts(network).ToArray();
            if (dropoutSteps.Length != dropouts.Length)
            {
                throw new InvalidDataException($"{dropoutSteps.Length} dropout counters for {dropouts.Length} dropout layers");
            }

            for (int i = 0; i < dropouts.Length; i++)
            {
                dropouts[i].Step = long.Parse(dropoutSteps[i], CultureInfo.InvariantCulture);
            }

            var state = new TrainingState
            {
                Epoch = int.Parse(Get("epoch"), CultureInfo.InvariantCulture),
                Batch = int.Parse(Get("batch"), CultureInfo.InvariantCulture),
                LossSum = double.Parse(Get("loss_sum"), CultureInfo.InvariantCulture),
                Correct = long.Parse(Get("correct"), CultureInfo.InvariantCulture),
                Seen = long.Parse(Get("seen"), CultureInfo.InvariantCulture),
                SecondsInEpoch = double.Parse(Get("seconds_in_epoch"), CultureInfo.InvariantCulture),
                BestValAccuracy = double.Parse(Get("best_val_accuracy"), CultureInfo.InvariantCulture),
                TrainData = metadata.GetValueOrDefault(Prefix + "train_data"),
            };
            if (byName.TryGetValue(TeacherLogitsName, out SafeTensor? teacherLogits))
            {
                state = state with { TeacherLogits = teacherLogits.Data, TeacherLogitsData = Get("teacher_logits_data") };
            }

            return (network, optimizer, options, state);
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidDataException or OverflowException)
        {
            throw new InvalidDataException($"{path}: not a usable training checkpoint: {e.Message}", e);
        }
    }

    /// <summary>
    /// Copies the weights saved in <paramref name="path"/> into <paramref name="network"/>, which must have the same
    /// architecture: a checkpoint's weights and batch-norm statistics (its optimizer state and position are not used),
    /// or exported inference weights (batch norm folded), whose batch norms <see cref="BatchNormUnfolding"/> measures
    /// again on <paramref name="calibration"/> in batches of <paramref name="batch"/>. Exported weights of a narrower
    /// network of the same layout are first embedded into <paramref name="network"/>'s width by
    /// <see cref="NetworkWidening"/> (new weights drawn from <paramref name="seed"/>).
    /// </summary>
    public static void LoadWeights(string path, Network network, FerDataset calibration, int batch, int seed)
    {
        (IReadOnlyList<SafeTensor> tensors, IReadOnlyDictionary<string, string> metadata) = SafeTensors.Read(path);
        try
        {
            if (!metadata.ContainsKey(Prefix + "options") && metadata.ContainsKey(NetworkFile.ArchitectureKey))
            {
                BatchNormUnfolding.Load(NetworkFile.FromTensors(tensors, metadata), network, calibration, batch, seed);
                return;
            }

            NetworkFile.LoadState(network, NetworkTensors(tensors));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: its weights do not fit the network being trained: {e.Message}", e);
        }
    }

    /// <summary>The tensors of a checkpoint that belong to the network (not the optimizer's, not the teachers' targets).</summary>
    private static List<SafeTensor> NetworkTensors(IReadOnlyList<SafeTensor> tensors) =>
        [.. tensors.Where(t => !t.Name.StartsWith(OptimizerPrefix, StringComparison.Ordinal) && t.Name != TeacherLogitsName)];

    internal static IEnumerable<Dropout> Dropouts(Network network) => network.Nodes.Select(n => n.Layer).OfType<Dropout>();

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
