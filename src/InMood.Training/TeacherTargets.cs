using InMood.Engine.Formats;
using InMood.Engine.Networks;
using InMood.Engine.Tensors;
using InMood.Training.Data;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace InMood.Training;

/// <summary>
/// A teacher's logits for every training image, computed once before distillation, with f the average of the teacher
/// models' logits (an <see cref="Ensemble"/> when there are several). Averaged: u_i = (1 / 2) (f(x_i) + f(mirror x_i)),
/// one target per image, shape [Count, K]; the student then learns mirror-averaged answers, is itself nearly
/// mirror-symmetric and gains nothing from averaging its own mirror at test time. Per view: u_(2i) = f(x_i) and
/// u_(2i+1) = f(mirror x_i), shape [Count, 2, K], so a training sample the augmentation mirrors gets the mirror's
/// target and the student learns each view's answer. The target is that of the clean view even when the student sees
/// an augmented one: the other augmentations are small shifts, rotations and jitter that keep the expression.
/// </summary>
public static class TeacherTargets
{
    private const int ImagesPerBatch = 64;

    /// <summary>Loads the teacher files (models written by <c>inmood train</c> or <c>inmood export</c>) and returns their logits on <paramref name="dataset"/>.</summary>
    public static float[] Compute(IReadOnlyList<string> teacherPaths, FerDataset dataset, bool perView = false)
    {
        if (teacherPaths.Count == 0)
        {
            throw new ArgumentException("Distillation needs at least one teacher model.");
        }

        Network[] members = [.. teacherPaths.Select(Load)];
        Network teacher = members.Length == 1 ? members[0] : Ensemble.Average(members);
        return Compute(teacher, dataset, perView);
    }

    /// <summary>The logits of <paramref name="teacher"/> (inference form) on each image and its mirror, averaged or per view.</summary>
    public static float[] Compute(Network teacher, FerDataset dataset, bool perView = false)
    {
        int classes = teacher.OutputShape.Size;
        const int views = 2;
        float[] targets = new float[dataset.Count * classes * (perView ? views : 1)];
        float[] input = new float[ImagesPerBatch * views * FerDataset.ImageSize];
        for (int start = 0; start < dataset.Count; start += ImagesPerBatch)
        {
            int count = Math.Min(ImagesPerBatch, dataset.Count - start);
            Parallel.For(0, count, i => TestTimeAugmentation.WriteViews(
                dataset.GetImage(start + i), TestTimeViews.IdentityAndFlip, 0,
                input.AsSpan(i * views * FerDataset.ImageSize, views * FerDataset.ImageSize)));
            Tensor logits = teacher.Forward(input.AsSpan(0, count * views * FerDataset.ImageSize), count * views, training: false);
            ReadOnlySpan<float> z = logits.Span;
            if (perView)
            {
                z[..(count * views * classes)].CopyTo(targets.AsSpan(start * views * classes));
                continue;
            }

            for (int i = 0; i < count; i++)
            {
                Span<float> target = targets.AsSpan((start + i) * classes, classes);
                TensorPrimitives.Add(z.Slice(i * views * classes, classes), z.Slice((i * views + 1) * classes, classes), target);
                TensorPrimitives.Multiply(target, 0.5f, target);
            }
        }

        return targets;
    }

    private static Network Load(string path)
    {
        Network network = NetworkFile.Load(path).Network.InInferenceForm();
        if (network.InputShape != new Shape(1, FerDataset.Side, FerDataset.Side) || network.OutputShape.Size != FerClasses.Count)
        {
            throw new InvalidDataException(
                $"{path}: takes {network.InputShape} and gives {network.OutputShape.Size} outputs; a teacher must take a grey {FerDataset.Side}x{FerDataset.Side} face and give {FerClasses.Count}.");
        }

        return network;
    }
}
