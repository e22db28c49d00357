using System.Globalization;
using InMood.Engine.Simd;
using InMood.Engine.Tensors;
using InMood.Engine.Threading;

namespace InMood.Engine.Layers;

/// <summary>
/// Batch normalisation per channel: y = gamma (x - mean) / sqrt(var + eps) + beta, with mean and biased var
/// over (N, H, W) in training (running statistics updated with <see cref="Momentum"/>) and the running
/// statistics in inference. Backward, with xhat = (x - mean) * invstd and M = N*H*W:
/// dx = gamma * invstd * (dy - mean(dy) - xhat * mean(dy * xhat)), dgamma += sum(dy * xhat), dbeta += sum(dy).
/// With <see cref="FusedRelu"/>, y = max(bn(x), 0) in the same pass and dy is first masked by y &gt; 0.
/// Shapes: x, y [N, C, H, W]; gamma, beta, running mean and var [C].
/// </summary>
public sealed class BatchNorm2d : Layer, IParallelJob
{
    private readonly int _channels;
    private readonly float[] _mean;
    private readonly float[] _invStd;
    private Tensor _x = null!, _y = null!;
    private Tensor? _dy, _dx;
    private bool _training, _backward;

    public BatchNorm2d(int channels, float epsilon = 1e-5f, float momentum = 0.1f)
    {
        _channels = channels;
        Epsilon = epsilon;
        Momentum = momentum;
        Gamma = new Parameter("weight", [channels], decay: false);
        Beta = new Parameter("bias", [channels], decay: false);
        Array.Fill(Gamma.Value, 1f);
        Parameters = [Gamma, Beta];
        RunningMean = new float[channels];
        RunningVar = new float[channels];
        Array.Fill(RunningVar, 1f);
        _mean = new float[channels];
        _invStd = new float[channels];
    }

    public override string Kind => "batchnorm2d";

    public float Epsilon { get; }

    public float Momentum { get; }

    public Parameter Gamma { get; }

    public Parameter Beta { get; }

    public float[] RunningMean { get; }

    public float[] RunningVar { get; }

    public override IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>
    /// Whether a ReLU runs inside the layer: one pass over the activations instead of two, each way.
    /// NOTE: Backward then masks its outputGrad in place (it becomes the gradient before the ReLU).
    /// </summary>
    public bool FusedRelu { get; set; }

    public override Shape OutputShape(IReadOnlyList<Shape> inputs)
    {
        if (inputs[0].Channels != _channels)
        {
            throw new ArgumentException($"batchnorm2d: input has {inputs[0].Channels} channels, the layer expects {_channels}.");
        }

        return inputs[0];
    }

    public override IEnumerable<KeyValuePair<string, string>> Settings()
    {
        yield return new("eps", Epsilon.ToString("R", CultureInfo.InvariantCulture));
        yield return new("momentum", Momentum.ToString("R", CultureInfo.InvariantCulture));
        if (FusedRelu)
        {
            yield return new("relu", "true");
        }
    }

    public override void Forward(Tensor[] inputs, Tensor output, bool training)
    {
        (_x, _y, _training, _backward) = (inputs[0], output, training, false);
        WorkerPool.Shared.Run(this, _channels);
    }

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads)
    {
        (_x, _y, _dy, _dx, _backward) = (inputs[0], output, outputGrad, inputGrads[0], true);
        WorkerPool.Shared.Run(this, _channels);
    }

    public void Execute(int c, int worker)
    {
        if (_backward)
        {
            BackwardChannel(c);
        }
        else
        {
            ForwardChannel(c);
        }
    }

    private void ForwardChannel(int c)
    {
        int batch = _x.Batch, plane = _x.Shape.Plane, stride = _x.Shape.Size;
        float mean, invStd;
        if (_training)
        {
            double sum = 0, squares = 0;
            for (int n = 0; n < batch; n++)
            {
                (float s, float q) = BatchNormKernels.SumAndSquares(_x.Data.AsSpan(n * stride + c * plane, plane));
                sum += s;
                squares += q;
            }

            int count = batch * plane;
            mean = (float)(sum / count);

            // NOTE: sum (x - mean)^2 = sum x^2 - 2 mean sum x + mean^2 count, from per-plane float partials summed in double.
            squares += (-2.0 * mean * sum) + ((double)mean * mean * count);
            float variance = (float)Math.Max(squares / count, 0);
            invStd = 1f / MathF.Sqrt(variance + Epsilon);
            float unbiased = count > 1 ? variance * count / (count - 1) : variance;
            RunningMean[c] += Momentum * (mean - RunningMean[c]);
            RunningVar[c] += Momentum * (unbiased - RunningVar[c]);
        }
        else
        {
            mean = RunningMean[c];
            invStd = 1f / MathF.Sqrt(RunningVar[c] + Epsilon);
        }

        _mean[c] = mean;
        _invStd[c] = invStd;
        float scale = Gamma.Value[c] * invStd;
        float shift = Beta.Value[c] - mean * scale;
        for (int n = 0; n < batch; n++)
        {
            int offset = n * stride + c * plane;
            BatchNormKernels.ScaleShift(_x.Data.AsSpan(offset, plane), scale, shift, FusedRelu, _y.Data.AsSpan(offset, plane));
        }
    }

    private void BackwardChannel(int c)
    {
        Tensor dyTensor = _dy!;
        int batch = _x.Batch, plane = _x.Shape.Plane, stride = _x.Shape.Size;
        float mean = _mean[c], invStd = _invStd[c];
        double sumDy = 0, sumDyX = 0;
        for (int n = 0; n < batch; n++)
        {
            int offset = n * stride + c * plane;
            (float s, float d) = BatchNormKernels.GradientSums(_y.Data.AsSpan(offset, plane), _x.Data.AsSpan(offset, plane), dyTensor.Data.AsSpan(offset, plane), FusedRelu);
            sumDy += s;
            sumDyX += d;
        }

        sumDyX -= mean * sumDy;

        float sumDyXhat = (float)(sumDyX * invStd);
        Gamma.Grad[c] += sumDyXhat;
        Beta.Grad[c] += (float)sumDy;
        if (_dx is not { } dxTensor)
        {
            return;
        }

        int count = batch * plane;
        float gamma = Gamma.Value[c];
        float meanDy = (float)(sumDy / count), meanDyXhat = sumDyXhat / count;

        // dx = k * dy + a * x + b, with k = gamma*invstd, a = -k*invstd*mean(dy*xhat), b = -k*mean(dy) - a*mean
        float k = gamma * invStd;
        float a = -k * invStd * meanDyXhat;
        float b = -k * meanDy - a * mean;
        for (int n = 0; n < batch; n++)
        {
            int offset = n * stride + c * plane;
            BatchNormKernels.InputGradient(dyTensor.Data.AsSpan(offset, plane), k, _x.Data.AsSpan(offset, plane), a, b, dxTensor.Data.AsSpan(offset, plane));
        }
    }
}
