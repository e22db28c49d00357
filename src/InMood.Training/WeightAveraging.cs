using InMood.Engine.Networks;
using InMood.Engine.Training;
using InMood.Training.Data;

namespace InMood.Training;

/// <summary>
/// Stochastic weight averaging (Izmailov et al., 2018): theta = (1/K) sum_k theta_k over K checkpoints of one run,
/// typically the last epochs of its schedule, which lie in one basin of the loss, so their mean is a wider, flatter
/// point of it than any one of them. The checkpoints' batch-norm running statistics belong to their own weights, not
/// to the mean, so they are measured again for it (<see cref="BatchNormStatistics.Recalibrate"/>).
/// </summary>
public static class WeightAveraging
{
    /// <summary>
    /// The mean of the networks saved in <paramref name="checkpoints"/> (read one at a time, summed in double), in
    /// training form with batch-norm statistics measured on <paramref name="calibration"/>. The checkpoints must hold
    /// the same architecture and come from one run (the same seed); errors name the file. Also returns the run's options.
    /// </summary>
    public static (Network Network, TrainingOptions Run) Average(IReadOnlyList<string> checkpoints, FerDataset calibration, int calibrationImages = BatchNormStatistics.DefaultImages, int batch = 64)
    {
        if (checkpoints.Count == 0)
        {
            throw new ArgumentException("averaging needs at least one checkpoint.");
        }

        (Network first, IOptimizer _, TrainingOptions run, TrainingState _) = Checkpoint.Load(checkpoints[0]);
        string spec = first.ToSpec();
        double[][] sums = [.. first.Parameters().Select(p => Array.ConvertAll(p.Parameter.Value, v => (double)v))];
        for (int k = 1; k < checkpoints.Count; k++)
        {
            (Network next, IOptimizer _, TrainingOptions options, TrainingState _) = Checkpoint.Load(checkpoints[k]);
            if (next.ToSpec() != spec)
            {
                throw new InvalidDataException($"{checkpoints[k]}: holds another architecture than {checkpoints[0]}; only checkpoints of one run can be averaged.");
            }

            if (options.Seed != run.Seed)
            {
                throw new InvalidDataException($"{checkpoints[k]}: comes from another run (seed {options.Seed}, {checkpoints[0]} has seed {run.Seed}); weights average only along one run.");
            }

            var parameters = next.Parameters();
            for (int p = 0; p < parameters.Count; p++)
            {
                float[] value = parameters[p].Parameter.Value;
                double[] sum = sums[p];
                for (int i = 0; i < value.Length; i++)
                {
                    sum[i] += value[i];
                }
            }
        }

        var averaged = first.Parameters();
        for (int p = 0; p < averaged.Count; p++)
        {
            float[] value = averaged[p].Parameter.Value;
            for (int i = 0; i < value.Length; i++)
            {
                value[i] = (float)(sums[p][i] / checkpoints.Count);
            }
        }

        BatchNormStatistics.Recalibrate(first, calibration, calibrationImages, batch);
        return (first, run);
    }
}
