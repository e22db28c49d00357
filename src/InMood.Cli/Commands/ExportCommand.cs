using System.CommandLine;
using InMood.Cli.Models;
using InMood.Engine.Formats;
using InMood.Engine.Networks;
using InMood.Onnx;

namespace InMood.Cli.Commands;

/// <summary>
/// <c>inmood export</c>: writes an emotion model as ONNX (opset 13, input "input" [N, 1, 48, 48] = grey / 255,
/// output "logits" [N, 7]) or as safetensors with batch norm folded; several --model files are written as one network
/// that averages their logits. Exit codes: 0 done, 1 bad model or output, 2 usage error.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<string[]>("--model")
        {
            Description = "Model file (.safetensors); default: the shipped model. Give it more than once to export an ensemble that averages the models' logits.",
        };
        var output = new Option<string>("--out") { Description = "Output file: .onnx for ONNX, .safetensors for folded weights.", Required = true };
        var command = new Command("export", "Export an emotion model to ONNX (or to folded safetensors).");
        command.Options.Add(model);
        command.Options.Add(output);
        command.SetAction(parseResult =>
        {
            TextWriter error = parseResult.InvocationConfiguration.Error;
            string outPath = parseResult.GetValue(output)!;
            bool onnx = outPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);
            if (!onnx && !outPath.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
            {
                error.WriteLine($"inmood export: {outPath}: the extension must be .onnx or .safetensors.");
                return 2;
            }

            string[] paths = parseResult.GetValue(model) ?? [];
            if (paths.Length > 1 && paths.FirstOrDefault(p => FilePaths.Same(p, outPath)) is string member)
            {
                error.WriteLine($"inmood export: --out {outPath} is one of the ensemble's models ({member}); it would be overwritten.");
                return 2;
            }

            if (FilePaths.FirstRepeated(paths) is string repeated)
            {
                error.WriteLine($"inmood export: {repeated} is given twice; an ensemble's members are different models.");
                return 2;
            }

            try
            {
                Network network = paths.Length > 1
                    ? Ensemble.Average([.. paths.Select(EmotionModel.Load)])
                    : EmotionModel.Load(paths.FirstOrDefault());

                if (onnx)
                {
                    OnnxWriter.WriteFile(OnnxExport.FromNetwork(network), outPath);
                }
                else
                {
                    NetworkFile.Save(network, outPath);
                }

                parseResult.InvocationConfiguration.Output.WriteLine($"wrote {outPath}");
                return 0;
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
            {
                error.WriteLine($"inmood export: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
