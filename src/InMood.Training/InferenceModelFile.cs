using System.Globalization;
using System.Text.Json;
using InMood.Engine.Formats;
using InMood.Engine.Networks;
using InMood.Training.Data;

namespace InMood.Training;

/// <summary>Writes a trained emotion network as the tool's model file: batch norm folded, dropout removed, with its provenance.</summary>
public static class InferenceModelFile
{
    /// <summary>
    /// Saves <paramref name="network"/> (training form) folded for inference, atomically, with the class names, the
    /// input convention, its val accuracy, the run's options and <paramref name="provenance"/> (e.g. the epoch).
    /// </summary>
    public static void Save(Network network, string path, TrainingOptions options, double valAccuracy, IReadOnlyDictionary<string, string> provenance)
    {
        var metadata = new Dictionary<string, string>(provenance, StringComparer.Ordinal)
        {
            ["inmood.classes"] = string.Join(',', FerClasses.Names),
            ["inmood.input"] = "grey 48x48, pixel / 255",
            ["inmood.val_accuracy"] = valAccuracy.ToString("R", CultureInfo.InvariantCulture),
            ["inmood.training_options"] = JsonSerializer.Serialize(options, TrainingJsonContext.Default.TrainingOptions),
        };
        NetworkFile.Save(network.FoldForInference(), path, metadata);
    }
}
