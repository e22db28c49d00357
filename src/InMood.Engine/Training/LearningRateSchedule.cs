namespace InMood.Engine.Training;

/// <summary>
/// Linear warm-up from 0 to the peak over <c>warmupSteps</c>, then cosine decay to <c>peak * finalFraction</c>
/// at <c>totalSteps</c>: lr(t) = final + (peak - final) * (1 + cos(pi * (t - warmup) / (total - warmup))) / 2.
/// </summary>
public sealed class LearningRateSchedule(float peak, long totalSteps, long warmupSteps, float finalFraction = 0.01f)
{
    public float At(long step)
    {
        if (step < warmupSteps)
        {
            return peak * (step + 1) / warmupSteps;
        }

        float final = peak * finalFraction;
        double progress = Math.Clamp((double)(step - warmupSteps) / Math.Max(1, totalSteps - warmupSteps), 0, 1);
        return (float)(final + (peak - final) * (1 + Math.Cos(Math.PI * progress)) / 2);
    }
}
