using InMood.Engine.Networks;

namespace InMood.Training;

/// <summary>
/// Hyper-parameters of a training run; saved in every checkpoint so a resumed run continues with the same ones.
/// NOTE: the properties have setters, not init: source-generated JSON sets every init-only property, so one missing
/// from an older checkpoint would read as 0 instead of its default here (dotnet/runtime#84484).
/// </summary>
public sealed record TrainingOptions
{
    public int Epochs { get; set; } = 40;

    public int BatchSize { get; set; } = 64;

    /// <summary>The peak learning rate a run with AdamW gets when none is given (the default is SGD's).</summary>
    public const float AdamWLearningRate = 1e-3f;

    /// <summary>Peak learning rate, reached after the warm-up and decayed by a cosine to 1% of it (default: SGD's).</summary>
    public float LearningRate { get; set; } = 0.03f;

    public int WarmupEpochs { get; set; } = 1;

    /// <summary>"sgd" (Nesterov momentum 0.9) or "adamw".</summary>
    public string Optimizer { get; set; } = "sgd";

    public float WeightDecay { get; set; } = 5e-4f;

    public float LabelSmoothing { get; set; } = 0.1f;

    /// <summary>Largest global gradient norm; larger gradients are scaled down to it.</summary>
    public float ClipNorm { get; set; } = 5f;

    public float Dropout { get; set; } = 0.3f;

    /// <summary>The first stage's channel count of <see cref="StandardNetworks.FerVgg"/> (the stages double it).</summary>
    public int Width { get; set; } = StandardNetworks.FerVggWidth;

    /// <summary>Whether training images are augmented on the fly (crop, flip, rotation, scale, jitter, erasing).</summary>
    public bool Augment { get; set; } = true;

    public ulong Seed { get; set; } = 1;

    /// <summary>
    /// Un-augmented training images on which the batch norms' statistics are measured for each epoch's val evaluation
    /// and for the weights written (<see cref="BatchNormStatistics.Recalibrate"/>; the running averages are restored
    /// for training); 0 evaluates with the running averages of the augmented training batches instead.
    /// </summary>
    public int BatchNormCalibrationImages { get; set; } = BatchNormStatistics.DefaultImages;

    /// <summary>
    /// The checkpoint or exported inference weights (such as the shipped model) the run started from (a warm restart:
    /// fresh optimizer and schedule), or null for He initialisation. Kept for provenance.
    /// </summary>
    public string? InitialWeights { get; set; }

    /// <summary>
    /// Models whose averaged logits are the soft targets of knowledge distillation (<see cref="TeacherTargets"/>), or
    /// null to train on the labels alone.
    /// </summary>
    public string[]? Teachers { get; set; }

    /// <summary>The weight a of the soft (teacher) term in the distillation loss; the labels' term gets 1 - a.</summary>
    public float DistillationWeight { get; set; } = 0.5f;

    /// <summary>The temperature T at which student and teacher probabilities are compared in distillation.</summary>
    public float DistillationTemperature { get; set; } = 2f;

    /// <summary>
    /// Whether each training sample's soft target is the teachers' answer on the view it shows (the image, or its
    /// mirror when the augmentation mirrored it) instead of the two views' average (<see cref="TeacherTargets"/>).
    /// </summary>
    public bool DistillPerView { get; set; }
}
