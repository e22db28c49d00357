using InMood.Engine.Layers;
using InMood.Engine.Tensors;

namespace InMood.Engine.Networks;

/// <summary>The networks InMood trains, built in code with shape checks at every layer.</summary>
public static class StandardNetworks
{
    /// <summary>FER2013's seven classes, in label order.</summary>
    public static readonly string[] EmotionClasses = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"];

    /// <summary>The first stage's channel count of <see cref="FerVgg"/> by default.</summary>
    public const int FerVggWidth = 32;

    /// <summary>
    /// InMood's VGG-style emotion network for 48x48 grey faces. With w = <paramref name="width"/>: four stages of two
    /// 3x3 conv + batch norm + ReLU (fused into the batch norm), each followed by 2x2 max pooling
    /// (1x48x48 -> w x24x24 -> 2w x12x12 -> 4w x6x6 -> 8w x3x3), then dropout, dense 72w -> 8w, ReLU, dropout and
    /// dense 8w -> 7 logits. At w = 32: 0.236 GFLOP and 1.76 M parameters; the cost grows as w^2.
    /// </summary>
    public static Network FerVgg(float dropout = 0.4f, int width = FerVggWidth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        var b = new NetworkBuilder(new Shape(1, 48, 48));
        var same3 = new ConvGeometry(3, 3, 1, 1, 1, 1, 1, 1);
        var pool2 = new ConvGeometry(2, 2, 2, 2, 0, 0, 0, 0);
        int inChannels = 1;
        int stage = 1;
        foreach (int channels in (int[])[width, 2 * width, 4 * width, 8 * width])
        {
            for (int i = 1; i <= 2; i++)
            {
                string name = $"s{stage}c{i}";
                b.Add(name, new Conv2d(inChannels, channels, same3, bias: false));
                b.Add($"{name}_bn", new BatchNorm2d(channels) { FusedRelu = true });
                inChannels = channels;
            }

            b.Add($"s{stage}_pool", new MaxPool2d(pool2));
            stage++;
        }

        b.Add("flatten", new Flatten());
        b.Add("drop1", new Dropout(dropout));
        b.Add("fc1", new Dense(b.ShapeOf("flatten").Size, 8 * width));
        b.Add("fc1_relu", new Relu());
        b.Add("drop2", new Dropout(dropout));
        b.Add("logits", new Dense(8 * width, EmotionClasses.Length));
        return b.Build();
    }
}
