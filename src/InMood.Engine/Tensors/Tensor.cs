namespace InMood.Engine.Tensors;

/// <summary>
/// A batch of activations in NCHW layout: [batch, C, H, W] flattened row-major into a pinned buffer
/// that is sized once for the largest batch seen and reused after that.
/// </summary>
public sealed class Tensor
{
    private float[] _data = [];

    public Tensor(Shape shape)
    {
        Shape = shape;
    }

    /// <summary>Per-sample shape (C, H, W).</summary>
    public Shape Shape { get; }

    /// <summary>Number of samples currently held.</summary>
    public int Batch { get; private set; }

    /// <summary>The whole buffer, longer than <see cref="Span"/> when a smaller batch follows a larger one.</summary>
    public float[] Data => _data;

    /// <summary>The live elements: [Batch, C, H, W].</summary>
    public Span<float> Span => _data.AsSpan(0, Batch * Shape.Size);

    /// <summary>Sets the batch size, growing the buffer (pinned, so kernels can take its address) only when needed.</summary>
    public void Resize(int batch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        long needed = (long)batch * Shape.Size;
        if (needed > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, $"A batch of {batch} x {Shape} does not fit in one buffer.");
        }

        if (needed > _data.Length)
        {
            _data = GC.AllocateArray<float>((int)needed, pinned: true);
        }

        Batch = batch;
    }

    /// <summary>Sample n: [C, H, W].</summary>
    public Span<float> Sample(int n) => _data.AsSpan(n * Shape.Size, Shape.Size);
}
