using System.Numerics.Tensors;
using InMood.Engine.Formats;
using InMood.Engine.Layers;
using InMood.Engine.Networks;
using InMood.Training.Data;

namespace InMood.Training.Tests;

public sealed class TrainerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("inmood-trainer-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Run_FewEpochsOnLearnableData_LowersLossAndWritesArtifacts()
    {
        TrainingPaths paths = Paths("a");
        var trainer = new Trainer(Learnable(64, seed: 1), Learnable(32, seed: 2), TinyOptions(epochs: 3), paths);

        bool finished = trainer.Run(null, CancellationToken.None);

        Assert.True(finished);
        EpochMetrics[] log = File.ReadAllLines(paths.MetricsLog)
            .Select(l => System.Text.Json.JsonSerializer.Deserialize(l, TrainingJsonContext.Default.EpochMetrics)!)
            .ToArray();
        Assert.Equal([1, 2, 3], log.Select(m => m.Epoch));
        Assert.True(log[^1].TrainLoss < log[0].TrainLoss, $"train loss {log[0].TrainLoss} -> {log[^1].TrainLoss}");
        Assert.All(log, m =>
        {
            Assert.True(m.PeakGflops > 0);
            Assert.Equal(m.GflopsPerSecond / m.PeakGflops, m.FractionOfPeak, 12);
            Assert.InRange(m.FractionOfPeak, 1e-6, 1.0);
        });
        Assert.True(File.Exists(paths.Weights));
        Assert.True(File.Exists(paths.Checkpoint));
    }

    [Fact]
    public void Resume_AfterCancellationMidEpoch_ReachesTheSameWeightsAsAnUninterruptedRun()
    {
        FerDataset train = Learnable(64, seed: 1), val = Learnable(32, seed: 2);
        TrainingPaths straight = Paths("straight"), interrupted = Paths("interrupted");
        new Trainer(train, val, TinyOptions(epochs: 2), straight).Run(null, CancellationToken.None);

        using var cancel = new CancellationTokenSource();
        var stopInSecondEpoch = new InlineProgress(p =>
        {
            if (p.Epoch == 2 && p.Batch == 2)
            {
                cancel.Cancel();
            }
        });
        bool finishedFirstTime = new Trainer(train, val, TinyOptions(epochs: 2), interrupted).Run(stopInSecondEpoch, cancel.Token);
        Trainer resumed = Trainer.Resume(interrupted.Checkpoint, train, val, interrupted);
        int resumedAtBatch = resumed.State.Batch;
        bool finishedAfterResume = resumed.Run(null, CancellationToken.None);

        Assert.False(finishedFirstTime);
        Assert.Equal(2, resumedAtBatch);
        Assert.True(finishedAfterResume);
        AssertSameTensors(straight.Checkpoint, interrupted.Checkpoint);
    }

    [Theory]
    [InlineData(24)]
    [InlineData(0)]
    public void Run_BestWeights_CarryStatisticsMeasuredOnCleanTrainingImagesWhileTheCheckpointKeepsTheRunningOnes(int calibrationImages)
    {
        FerDataset train = Learnable(64, seed: 1);
        TrainingPaths paths = Paths($"bn{calibrationImages}");
        TrainingOptions options = TinyOptions(epochs: 1) with { BatchNormCalibrationImages = calibrationImages };
        new Trainer(train, Learnable(32, seed: 2), options, paths).Run(null, CancellationToken.None);
        Network network = Checkpoint.Load(paths.Checkpoint).Network;
        float[] running = (float[])network.Nodes.Select(n => n.Layer).OfType<BatchNorm2d>().First().RunningMean.Clone();

        if (calibrationImages > 0)
        {
            BatchNormStatistics.Recalibrate(network, train, calibrationImages, options.BatchSize);
        }

        var expected = network.FoldForInference().State().ToArray();
        var actual = NetworkFile.Load(paths.Weights).Network.State().ToArray();
        Assert.Equal(expected.Select(t => t.Name), actual.Select(t => t.Name));
        for (int t = 0; t < expected.Length; t++)
        {
            for (int i = 0; i < expected[t].Data.Length; i++)
            {
                Assert.True(MathF.Abs(expected[t].Data[i] - actual[t].Data[i]) <= 1e-5f * (1 + MathF.Abs(expected[t].Data[i])), $"{expected[t].Name}[{i}]: {actual[t].Data[i]}, expected {expected[t].Data[i]}");
            }
        }

        float[] measured = network.Nodes.Select(n => n.Layer).OfType<BatchNorm2d>().First().RunningMean;
        Assert.Equal(calibrationImages > 0, !running.AsSpan().SequenceEqual(measured));
    }

    [Fact]
    public void OptionsJson_FromAnOlderCheckpointWithoutLaterFields_ReadsTheirDefaults()
    {
        const string older = """{"epochs":16,"batch_size":64,"learning_rate":0.008,"seed":4,"initial_weights":"emotion.safetensors"}""";

        TrainingOptions options = System.Text.Json.JsonSerializer.Deserialize(older, TrainingJsonContext.Default.TrainingOptions)!;

        var defaults = new TrainingOptions();
        Assert.Equal(16, options.Epochs);
        Assert.Equal(0.008f, options.LearningRate);
        Assert.Equal(defaults.DistillationTemperature, options.DistillationTemperature);
        Assert.Equal(defaults.Width, options.Width);
        Assert.Equal(defaults.BatchNormCalibrationImages, options.BatchNormCalibrationImages);
        Assert.Equal(defaults.Augment, options.Augment);
    }

    [Fact]
    public void CheckpointLoad_SavedCheckpoint_RestoresOptionsPositionAndOptimizerState()
    {
        TrainingPaths paths = Paths("c");
        TrainingOptions options = TinyOptions(epochs: 1) with { Optimizer = "adamw", WeightDecay = 0.01f };
        var trainer = new Trainer(Learnable(32, seed: 1), Learnable(16, seed: 2), options, paths);
        trainer.Run(null, CancellationToken.None);

        var (network, optimizer, loadedOptions, state) = Checkpoint.Load(paths.Checkpoint);

        Assert.Equal(options, loadedOptions);
        Assert.Equal(1, state.Epoch);
        Assert.Equal(0, state.Batch);
        Assert.Equal(2, optimizer.Steps);
        Assert.Equal(trainer.Network.ToSpec(), network.ToSpec());
        Assert.Contains(optimizer.State(), s => s.Data.Any(v => v != 0f));
    }

    [Fact]
    public void CheckpointLoad_WeightsFileInsteadOfCheckpoint_ThrowsNamingTheFile()
    {
        TrainingPaths paths = Paths("d");
        new Trainer(Learnable(32, seed: 1), Learnable(16, seed: 2), TinyOptions(epochs: 1), paths).Run(null, CancellationToken.None);

        InvalidDataException e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(paths.Weights));

        Assert.Contains(paths.Weights, e.Message);
        Assert.True(e.Message.Contains("not a usable training checkpoint", StringComparison.Ordinal), e.Message);
    }

    private TrainingPaths Paths(string name) => new(
        Path.Combine(_folder, $"{name}.safetensors"), Path.Combine(_folder, $"{name}.ckpt"), Path.Combine(_folder, $"{name}.jsonl"));

    [Fact]
    public void Resume_WithEpochs_MovesTheRunsEndAndRejectsAnEndAlreadyPassed()
    {
        FerDataset train = Learnable(32, seed: 1), val = Learnable(16, seed: 2);
        TrainingPaths paths = Paths("moved");
        new Trainer(train, val, TinyOptions(epochs: 1), paths).Run(null, CancellationToken.None);

        Trainer extended = Trainer.Resume(paths.Checkpoint, train, val, paths, epochs: 2);
        bool finished = extended.Run(null, CancellationToken.None);

        Assert.Equal(2, extended.Options.Epochs);
        Assert.True(finished);
        Assert.Equal(2, extended.State.Epoch);
        var e = Assert.Throws<ArgumentException>(() => Trainer.Resume(paths.Checkpoint, train, val, paths, epochs: 2));
        Assert.Contains("more than 2", e.Message);
    }

    [Fact]
    public void NewRun_WithInitialWeights_StartsFromTheCheckpointsNetworkWithAFreshSchedule()
    {
        TrainingPaths first = Paths("first");
        var source = new Trainer(Learnable(32, seed: 1), Learnable(16, seed: 2), TinyOptions(epochs: 1), first);
        source.Run(null, CancellationToken.None);

        var warm = new Trainer(Learnable(32, seed: 1), Learnable(16, seed: 2), TinyOptions(epochs: 2) with { InitialWeights = first.Checkpoint }, Paths("warm"));
        var cold = new Trainer(Learnable(32, seed: 1), Learnable(16, seed: 2), TinyOptions(epochs: 2), Paths("cold"));

        var trained = source.Network.State().ToDictionary(s => s.Name, s => s.Data);
        Assert.All(warm.Network.State(), s => Assert.Equal(trained[s.Name], s.Data));
        Assert.Contains(cold.Network.State(), s => !trained[s.Name].AsSpan().SequenceEqual(s.Data));
        Assert.Equal(0, warm.State.Epoch);
    }

    [Fact]
    public void NewRun_FromExportedWeights_UnfoldsBatchNormWithMeasuredStatisticsAndKeepsTheFunction()
    {
        FerDataset train = Learnable(64, seed: 1);
        TrainingPaths first = Paths("export");
        new Trainer(train, Learnable(16, seed: 2), TinyOptions(epochs: 1), first).Run(null, CancellationToken.None);
        Network exported = NetworkFile.Load(first.Weights).Network;

        var warm = new Trainer(train, Learnable(16, seed: 2), TinyOptions(epochs: 1) with { InitialWeights = first.Weights }, Paths("unfolded"));

        var refolded = warm.Network.FoldForInference().Parameters().ToDictionary(p => p.Name, p => p.Parameter.Value);
        foreach ((string name, Parameter parameter) in exported.Parameters())
        {
            float scale = 1 + MaxAbsolute(parameter.Value);
            Assert.True(TensorPrimitives.Distance(parameter.Value, refolded[name]) <= 1e-4f * scale * MathF.Sqrt(parameter.Value.Length), name);
        }

        float[] images = new float[train.Count * FerDataset.ImageSize];
        FerBatchWriter.Write(train, Enumerable.Range(0, train.Count).ToArray(), null, 0, parallel: false, images, new int[train.Count]);
        float[] expected = exported.Forward(images, train.Count, training: false).Span.ToArray();
        float[] actual = warm.Network.Forward(images, train.Count, training: false).Span.ToArray();
        Assert.True(MaxAbsolute(Subtract(expected, actual)) <= 1e-4f);

        Node conv = warm.Network.Nodes.Single(n => n.Name == "s2c1");
        var norm = (BatchNorm2d)warm.Network.Nodes.Single(n => n.Name == "s2c1_bn").Layer!;
        for (int c = 0; c < conv.Shape.Channels; c += 13)
        {
            double sum = 0;
            for (int i = 0; i < train.Count; i++)
            {
                sum += TensorPrimitives.Sum(conv.Output.Sample(i).Slice(c * conv.Shape.Plane, conv.Shape.Plane));
            }

            float mean = (float)(sum / (train.Count * conv.Shape.Plane));
            Assert.Equal(mean, norm.RunningMean[c], 1e-3f * (1 + Math.Abs(mean)));
            Assert.Equal(MathF.Sqrt(norm.RunningVar[c] + norm.Epsilon), norm.Gamma.Value[c], 1e-6f);
        }
    }

    [Fact]
    public void NewRun_WiderThanItsExportedWeights_EmbedsThemKeepingTheFunctionAndTrainsTheNewChannels()
    {
        FerDataset train = Learnable(64, seed: 1);
        TrainingPaths first = Paths("narrow");
        new Trainer(train, Learnable(16, seed: 2), TinyOptions(epochs: 1) with { Width = 8 }, first).Run(null, CancellationToken.None);
        Network exported = NetworkFile.Load(first.Weights).Network;

        var wide = new Trainer(train, Learnable(16, seed: 2), TinyOptions(epochs: 1) with { Width = 12, InitialWeights = first.Weights }, Paths("wide"));

        Assert.Equal(StandardNetworks.FerVgg(width: 12).ParameterCount, wide.Network.ParameterCount);
        float[] images = new float[train.Count * FerDataset.ImageSize];
        FerBatchWriter.Write(train, Enumerable.Range(0, train.Count).ToArray(), null, 0, parallel: false, images, new int[train.Count]);
        float[] expected = exported.Forward(images, train.Count, training: false).Span.ToArray();
        float[] actual = wide.Network.Forward(images, train.Count, training: false).Span.ToArray();
        Assert.True(MaxAbsolute(Subtract(expected, actual)) <= 1e-4f);

        var conv = (Conv2d)wide.Network.Nodes.Single(n => n.Name == "s2c1").Layer!;
        float[] fromNewChannels = NewInputWeights(conv.Weight, oldOutputs: 16, oldInputs: 8);
        Assert.Equal(0f, MaxAbsolute(fromNewChannels));
        Assert.True(wide.Run(null, CancellationToken.None));
        Assert.True(MaxAbsolute(NewInputWeights(conv.Weight, oldOutputs: 16, oldInputs: 8)) > 0f);
    }

    /// <summary>weight is [O, I, 3, 3]; the taps W[o &lt; oldOutputs, i >= oldInputs, :, :], flattened.</summary>
    private static float[] NewInputWeights(Parameter weight, int oldOutputs, int oldInputs)
    {
        int outputs = oldOutputs, inputs = weight.Dimensions[1], taps = weight.Dimensions[2] * weight.Dimensions[3];
        var taken = new List<float>();
        for (int o = 0; o < outputs; o++)
        {
            taken.AddRange(weight.Value.AsSpan((o * inputs + oldInputs) * taps, (inputs - oldInputs) * taps).ToArray());
        }

        return [.. taken];
    }

    [Fact]
    public void NewRun_NarrowerThanItsExportedWeights_ThrowsNamingTheFile()
    {
        FerDataset train = Learnable(32, seed: 1);
        TrainingPaths first = Paths("wider");
        new Trainer(train, Learnable(16, seed: 2), TinyOptions(epochs: 1) with { Width = 12 }, first).Run(null, CancellationToken.None);

        var e = Assert.Throws<InvalidDataException>(() =>
            new Trainer(train, Learnable(16, seed: 2), TinyOptions(epochs: 1) with { Width = 8, InitialWeights = first.Weights }, Paths("narrower")));

        Assert.Contains("wider.safetensors", e.Message);
        Assert.Contains("does not embed", e.Message);
    }

    /// <summary>max |x_i| (TensorPrimitives.MaxMagnitude returns the signed element).</summary>
    private static float MaxAbsolute(float[] x) => MathF.Abs(TensorPrimitives.MaxMagnitude(x));

    private static float[] Subtract(float[] a, float[] b)
    {
        float[] difference = new float[a.Length];
        TensorPrimitives.Subtract(a, b, difference);
        return difference;
    }

    [Fact]
    public void NewRun_WithInitialWeightsOfAnotherShape_ThrowsNamingTheFile()
    {
        string path = Path.Combine(_folder, "other.safetensors");
        SafeTensors.Write(path, [new SafeTensor("s1c1.weight", [1], [0f])], new Dictionary<string, string>());

        var e = Assert.Throws<InvalidDataException>(() =>
            new Trainer(Learnable(32, seed: 1), Learnable(16, seed: 2), TinyOptions(epochs: 1) with { InitialWeights = path }, Paths("bad")));

        Assert.Contains("other.safetensors", e.Message);
    }

    [Fact]
    public void TeacherTargets_Compute_AveragesTheLogitsOfEachImageAndItsMirrorOrKeepsBothPerView()
    {
        FerDataset train = Learnable(20, seed: 1);
        TrainingPaths teacherPaths = Paths("teacher-views");
        new Trainer(train, Learnable(16, seed: 2), TinyOptions(epochs: 1), teacherPaths).Run(null, CancellationToken.None);
        Network teacher = NetworkFile.Load(teacherPaths.Weights).Network;

        float[] averaged = TeacherTargets.Compute([teacherPaths.Weights], train);
        float[] perView = TeacherTargets.Compute([teacherPaths.Weights], train, perView: true);

        Assert.Equal(train.Count * 2 * FerClasses.Count, perView.Length);
        float[] views = new float[2 * FerDataset.ImageSize];
        for (int i = 0; i < train.Count; i++)
        {
            TestTimeAugmentation.WriteViews(train.GetImage(i), TestTimeViews.IdentityAndFlip, 0, views);
            float[] logits = teacher.Forward(views, 2, training: false).Span.ToArray();
            for (int k = 0; k < FerClasses.Count; k++)
            {
                float expected = (logits[k] + logits[FerClasses.Count + k]) / 2;
                Assert.Equal(expected, averaged[i * FerClasses.Count + k], 1e-4f * (1 + MathF.Abs(expected)));
            }

            for (int k = 0; k < 2 * FerClasses.Count; k++)
            {
                Assert.Equal(logits[k], perView[(i * 2 * FerClasses.Count) + k], 1e-4f * (1 + MathF.Abs(logits[k])));
            }
        }
    }

    [Fact]
    public void TargetRows_PerView_MirroredSamplesTakeTheMirrorsRow()
    {
        var augmenter = new FerAugmenter(AugmentationOptions.Default, 3);
        int[] indices = [.. Enumerable.Range(100, 32)];
        int[] perView = new int[indices.Length], averaged = new int[indices.Length], unaugmented = new int[indices.Length];

        Trainer.TargetRows(indices, augmenter, perView: true, epoch: 4, perView);
        Trainer.TargetRows(indices, augmenter, perView: false, epoch: 4, averaged);
        Trainer.TargetRows(indices, null, perView: true, epoch: 4, unaugmented);

        Assert.Equal(indices.Select(i => (2 * i) + (augmenter.Flips(4, i) ? 1 : 0)), perView);
        Assert.Contains(perView, row => row % 2 == 1);
        Assert.Contains(perView, row => row % 2 == 0);
        Assert.Equal(indices, averaged);
        Assert.Equal(indices.Select(i => 2 * i), unaugmented);
    }

    [Fact]
    public void Run_WithATeacherAtFullWeight_MovesTheStudentTowardTheTeacherAndKeepsItInTheCheckpoint()
    {
        // The teacher learns the reversed labelling of the same images, so distilling from it and learning the labels
        // pull the student apart: a small numeric change cannot swap which student ends nearer the teacher.
        FerDataset train = Learnable(64, seed: 1), val = Learnable(16, seed: 2);
        TrainingPaths teacherPaths = Paths("teacher");
        new Trainer(Learnable(64, seed: 1, reversed: true), Learnable(16, seed: 2, reversed: true), TinyOptions(epochs: 2), teacherPaths).Run(null, CancellationToken.None);
        float[] teacherLogits = TeacherTargets.Compute([teacherPaths.Weights], train);
        TrainingPaths studentPaths = Paths("student");
        TrainingOptions options = TinyOptions(epochs: 2) with { Seed = 11, Teachers = [teacherPaths.Weights], DistillationWeight = 1f, DistillationTemperature = 2f };
        var student = new Trainer(train, val, options, studentPaths);
        var labelsOnly = new Trainer(train, val, options with { DistillationWeight = 0f }, Paths("labels-only"));
        double before = MeanDivergence(teacherLogits, TeacherTargets.Compute(student.Network, train));

        bool finished = student.Run(null, CancellationToken.None);
        labelsOnly.Run(null, CancellationToken.None);

        double after = MeanDivergence(teacherLogits, TeacherTargets.Compute(student.Network, train));
        double afterLabelsOnly = MeanDivergence(teacherLogits, TeacherTargets.Compute(labelsOnly.Network, train));
        Assert.True(finished);
        Assert.True(after < before && after < afterLabelsOnly, $"mean KL(teacher || student) {before} -> {after}; trained on the labels alone: {afterLabelsOnly}");
        TrainingOptions saved = Checkpoint.Load(studentPaths.Checkpoint).Options;
        Assert.Equal([teacherPaths.Weights], saved.Teachers ?? []);
        Assert.Equal(1f, saved.DistillationWeight);
        Assert.Equal(2f, saved.DistillationTemperature);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Resume_DistillationRunWhoseTeacherFileIsGone_UsesTheTargetsKeptInTheCheckpointAndMatchesAnUninterruptedRun(bool perView)
    {
        FerDataset train = Learnable(48, seed: 1), val = Learnable(16, seed: 2);
        string teacher = TrainTeacher($"kept-teacher-{perView}");
        TrainingOptions options = TinyOptions(epochs: 2) with { Teachers = [teacher], DistillationWeight = 0.7f, DistillationTemperature = 2f, DistillPerView = perView };
        TrainingPaths straight = Paths($"kept-straight-{perView}"), interrupted = Paths($"kept-interrupted-{perView}");
        new Trainer(train, val, options, straight).Run(null, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var stopInSecondEpoch = new InlineProgress(p =>
        {
            if (p.Epoch == 2 && p.Batch == 1)
            {
                cancel.Cancel();
            }
        });
        new Trainer(train, val, options, interrupted).Run(stopInSecondEpoch, cancel.Token);
        float[] expectedTargets = TeacherTargets.Compute([teacher], train, perView);
        TrainingState saved = Checkpoint.Load(interrupted.Checkpoint).State;
        File.Delete(teacher);

        Trainer resumed = Trainer.Resume(interrupted.Checkpoint, train, val, interrupted);
        bool finished = resumed.Run(null, CancellationToken.None);

        Assert.Equal(expectedTargets, saved.TeacherLogits ?? []);
        Assert.Equal(train.Fingerprint(), saved.TeacherLogitsData);
        Assert.Equal(train.Fingerprint(), saved.TrainData);
        Assert.False(resumed.ResumedOnOtherData);
        Assert.True(finished);
        AssertSameTensors(straight.Checkpoint, interrupted.Checkpoint);
    }

    [Fact]
    public void Resume_DistillationRunOnOtherTrainingImages_ComputesTheTargetsAgainAndSaysTheDataChanged()
    {
        FerDataset train = Learnable(32, seed: 1), other = Learnable(32, seed: 3), val = Learnable(16, seed: 2);
        string teacher = TrainTeacher("other-teacher");
        TrainingOptions options = TinyOptions(epochs: 2) with { Teachers = [teacher], DistillationWeight = 0.7f, DistillationTemperature = 2f };
        TrainingPaths paths = Paths("other-student");
        using var cancel = new CancellationTokenSource();
        new Trainer(train, val, options, paths).Run(new InlineProgress(p => cancel.Cancel()), cancel.Token);

        Trainer resumed = Trainer.Resume(paths.Checkpoint, other, val, paths);
        resumed.Run(null, CancellationToken.None);

        TrainingState saved = Checkpoint.Load(paths.Checkpoint).State;
        Assert.True(resumed.ResumedOnOtherData);
        Assert.Equal(other.Fingerprint(), saved.TrainData);
        Assert.NotEqual(train.Fingerprint(), other.Fingerprint());
        Assert.Equal(other.Fingerprint(), saved.TeacherLogitsData);
        Assert.Equal(TeacherTargets.Compute([teacher], other), saved.TeacherLogits ?? []);
    }

    [Fact]
    public void Run_WithATeacherOfAnotherShape_ThrowsNamingTheFile()
    {
        string other = Path.Combine(_folder, "two-classes.safetensors");
        var builder = new NetworkBuilder(new Engine.Tensors.Shape(1, FerDataset.Side, FerDataset.Side));
        builder.Add("dense", new Dense(FerDataset.ImageSize, 2));
        NetworkFile.Save(builder.Build(), other);
        var trainer = new Trainer(Learnable(32, seed: 1), Learnable(16, seed: 2), TinyOptions(epochs: 1) with { Teachers = [other] }, Paths("bad-teacher"));

        InvalidDataException e = Assert.Throws<InvalidDataException>(() => trainer.Run(null, CancellationToken.None));

        Assert.Contains("two-classes.safetensors", e.Message);
    }

    /// <summary>Asserts that two checkpoints hold the same tensors, bit for bit, in the same order.</summary>
    private static void AssertSameTensors(string expectedPath, string actualPath)
    {
        var expected = SafeTensors.Read(expectedPath).Tensors;
        var actual = SafeTensors.Read(actualPath).Tensors;
        Assert.Equal(expected.Select(t => t.Name), actual.Select(t => t.Name));
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.True(expected[i].Data.AsSpan().SequenceEqual(actual[i].Data), $"{expected[i].Name} differs after resume");
        }
    }

    /// <summary>Trains a one-epoch teacher on its own images and returns its weights file.</summary>
    private string TrainTeacher(string name)
    {
        TrainingPaths paths = Paths(name);
        new Trainer(Learnable(32, seed: 7), Learnable(16, seed: 8), TinyOptions(epochs: 1), paths).Run(null, CancellationToken.None);
        return paths.Weights;
    }

    /// <summary>Mean over images of KL(softmax(u) || softmax(z)) for logits u, z [N, K].</summary>
    private static double MeanDivergence(float[] teacher, float[] student)
    {
        int count = teacher.Length / FerClasses.Count;
        float[] t = new float[FerClasses.Count], s = new float[FerClasses.Count];
        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            TensorPrimitives.SoftMax(teacher.AsSpan(i * FerClasses.Count, FerClasses.Count), t);
            TensorPrimitives.SoftMax(student.AsSpan(i * FerClasses.Count, FerClasses.Count), s);
            for (int k = 0; k < FerClasses.Count; k++)
            {
                sum += t[k] * (Math.Log(t[k]) - Math.Log(s[k]));
            }
        }

        return sum / count;
    }

    private static TrainingOptions TinyOptions(int epochs) => new()
    {
        Epochs = epochs,
        BatchSize = 16,
        LearningRate = 0.02f,
        WarmupEpochs = 0,
        Seed = 5,
    };

    /// <summary>
    /// Images whose class is written in their brightness (class k: mean grey 30k + noise), so a network can learn it
    /// quickly; with <paramref name="reversed"/> the same images are labelled 6 - k.
    /// </summary>
    private static FerDataset Learnable(int count, int seed, bool reversed = false)
    {
        var random = new Random(seed);
        byte[] labels = new byte[count];
        byte[] pixels = new byte[count * FerDataset.ImageSize];
        for (int i = 0; i < count; i++)
        {
            int k = i % FerClasses.Count;
            labels[i] = (byte)(reversed ? FerClasses.Count - 1 - k : k);
            for (int p = 0; p < FerDataset.ImageSize; p++)
            {
                pixels[i * FerDataset.ImageSize + p] = (byte)Math.Clamp(30 * k + 30 + random.Next(-20, 21), 0, 255);
            }
        }

        return new FerDataset(pixels, labels);
    }

    private sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
