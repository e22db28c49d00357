using InMood.Engine.Layers;

namespace InMood.Engine.Training;

/// <summary>Updates parameters from their accumulated gradients; its state can be saved and restored for checkpoints.</summary>
public interface IOptimizer
{
    /// <summary>One update of every parameter at learning rate <paramref name="learningRate"/>.</summary>
    void Step(float learningRate);

    /// <summary>Named state tensors (momenta), for checkpoints; same order and sizes on save and load.</summary>
    IEnumerable<(string Name, float[] Data)> State();

    /// <summary>Number of steps taken (AdamW's bias correction depends on it).</summary>
    long Steps { get; set; }

    IReadOnlyList<(string Name, Parameter Parameter)> Parameters { get; }
}
