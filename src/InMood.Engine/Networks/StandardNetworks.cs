using InMood.Engine.Layers;
using InMood.Engine.Tensors;

namespace InMood.Engine.Networks;

/// <summary>The networks InMood trains, built in code with shape checks at every layer.</summary>
public static class StandardNetworks
{
    /// <summary>FER2013's seven classes, in label order.</summary>
    public static readonly string[] EmotionClasses = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"];

    /// <summary>
    /// InMood's VGG-style emotion network, about 0.24 GFLOP and 1.8 M parameters per 48x48 grey face.
    /// Four stages of two 3x3 conv + batch norm + ReLU (fused into the batch norm), each followed by 2x2 max pooling
    /// (1x48x48 -> 32x24x24 -> 64x12x12 -> 128x6x6 -> 256x3x3), then dropout, dense 2304 -> 256, ReLU,
    /// dropout and dense 256 -> 7 logits.
    /// </summary>
    public static Network FerVgg(float dropout = 0.4f)
    {
        var b = new NetworkBuilder(new Shape(1, 48, 48));
        var same3 = new ConvGeometry(3, 3, 1, 1, 1, 1, 1, 1);
        var pool2 = new ConvGeometry(2, 2, 2, 2, 0, 0, 0, 0);
        int inChannels = 1;
        int stage = 1;
        foreach (int width in (int[])[32, 64, 128, 256])
        {
            for (int i = 1; i <= 2; i++)
            {
                string name = $"s{stage}c{i}";
                b.Add(name, new Conv2d(inChannels, width, same3, bias: false));
                b.Add($"{name}_bn", new BatchNorm2d(width) { FusedRelu = true });
                inChannels = width;
            }

            b.Add($"s{stage}_pool", new MaxPool2d(pool2));
            stage++;
        }

        b.Add("flatten", new Flatten());
        b.Add("drop1", new Dropout(dropout));
        b.Add("fc1", new Dense(b.ShapeOf("flatten").Size, 256));
        b.Add("fc1_relu", new Relu());
        b.Add("drop2", new Dropout(dropout));
        b.Add("logits", new Dense(256, EmotionClasses.Length));
        return b.Build();
    }
}
