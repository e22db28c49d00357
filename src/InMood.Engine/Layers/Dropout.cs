using System.Globalization;
using InMood.Engine.Randomness;
using InMood.Engine.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace InMood.Engine.Layers;

/// <summary>
/// Inverted dropout: in training y = x * m with m = 1/(1-p) kept or 0 dropped (probability p), drawn
/// from a counter-based hash of (seed, step, index) so a resumed run draws the same masks; identity in inference.
/// Shapes: x, y [N, C, H, W].
/// </summary>
public sealed class Dropout : Layer
{
    private float[] _mask = [];
    private bool _masked;
    private long _step;

    public Dropout(float probability, ulong seed = 0)
    {
        if (!(probability >= 0f && probability < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "dropout: probability must be in [0, 1).");
        }

        Probability = probability;
        Seed = seed;
    }

    public override string Kind => "dropout";

    public float Probability { get; }

    public ulong Seed { get; set; }

    /// <summary>Number of training forward passes so far: part of the mask's random stream, saved in checkpoints.</summary>
    public long Step
    {
        get => _step;
        set => _step = value;
    }

    public override Shape OutputShape(IReadOnlyList<Shape> inputs) => inputs[0];

    public override IEnumerable<KeyValuePair<string, string>> Settings()
    {
        yield return new("p", Probability.ToString("R", CultureInfo.InvariantCulture));
    }

    public override void Forward(Tensor[] inputs, Tensor output, bool training)
    {
        ReadOnlySpan<float> x = inputs[0].Span;
        Span<float> y = output.Span;
        _masked = training && Probability > 0f;
        if (!_masked)
        {
            x.CopyTo(y);
            return;
        }

        if (_mask.Length < x.Length)
        {
            _mask = new float[inputs[0].Data.Length];
        }

        Span<float> mask = _mask.AsSpan(0, x.Length);
        float keep = 1f / (1f - Probability);
        ulong stream = SplitMix64.Hash(Seed ^ SplitMix64.Hash((ulong)_step++));
        for (int i = 0; i < mask.Length; i++)
        {
            mask[i] = SplitMix64.Uniform(stream, (ulong)i) < Probability ? 0f : keep;
        }

        TensorPrimitives.Multiply(x, mask, y);
    }

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads)
    {
        if (inputGrads[0] is not { } dx)
        {
            return;
        }

        if (_masked)
        {
            TensorPrimitives.Multiply(outputGrad.Span, _mask.AsSpan(0, outputGrad.Span.Length), dx.Span);
        }
        else
        {
            outputGrad.Span.CopyTo(dx.Span);
        }
    }
}
