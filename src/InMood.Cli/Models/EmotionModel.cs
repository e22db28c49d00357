using InMood.Engine.Formats;
using InMood.Engine.Networks;
using InMood.Engine.Tensors;

namespace InMood.Cli.Models;

/// <summary>
/// Finds and loads the emotion network: a file the user names, else the model shipped inside the binary
/// (weights/inmood-fer-vgg/emotion.safetensors, embedded at build time). The network must take a grey
/// 48x48 face and return seven logits in FER2013 order; it is returned in inference form (batch norm folded).
/// </summary>
internal static class EmotionModel
{
    private const string Resource = "InMood.Cli.Models.emotion.safetensors";

    public static readonly Shape Input = new(1, 48, 48);

    public static bool IsShipped => typeof(EmotionModel).Assembly.GetManifestResourceInfo(Resource) is not null;

    /// <summary>Loads <paramref name="path"/>, or the shipped model when it is null; throws InvalidDataException naming the problem.</summary>
    public static Network Load(string? path)
    {
        Network network;
        string name;
        if (path is not null)
        {
            if (Path.GetExtension(path).Equals(".onnx", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidDataException($"{path}: an ONNX file; --model takes an InMood .safetensors model (inmood export turns one into ONNX, not back).");
            }

            network = NetworkFile.Load(path).Network;
            name = path;
        }
        else
        {
            using Stream stream = typeof(EmotionModel).Assembly.GetManifestResourceStream(Resource)
                ?? throw new InvalidDataException("this build ships no emotion model; pass --model FILE.");
            name = "the shipped model";
            network = NetworkFile.Load(ResourceBytes.Read(stream), name).Network;
        }

        network = network.InInferenceForm();
        if (network.InputShape != Input || network.OutputShape.Size != 7)
        {
            throw new InvalidDataException($"{name}: takes {network.InputShape} and gives {network.OutputShape.Size} outputs; an emotion model takes {Input} and gives 7.");
        }

        return network;
    }
}
