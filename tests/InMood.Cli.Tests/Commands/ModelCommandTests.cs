using System.CommandLine;
using System.Text.Json;
using InMood.Engine.Formats;
using InMood.Engine.Networks;
using InMood.Onnx;
using SkiaSharp;

namespace InMood.Cli.Tests.Commands;

/// <summary>The ML engineer's commands (eval, export, train, bench) run in process on tiny data the tests write.</summary>
public sealed class ModelCommandTests : IDisposable
{
    private static readonly string[] s_classes = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"];
    private readonly string _folder = Directory.CreateTempSubdirectory("inmood-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Eval_FolderOfCropsAsJson_ReportsMetricsThatAddUp()
    {
        string model = WriteModel();
        string data = WriteCrops("val", perClass: 2);

        (int exitCode, string output, string error) = Run("eval", "--data", data, "--model", model, "--format", "json");

        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, error);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement root = json.RootElement;
        Assert.Equal(14, root.GetProperty("images").GetInt32());
        double accuracy = root.GetProperty("accuracy").GetDouble();
        Assert.InRange(accuracy, 0, 1);
        int[][] confusion = root.GetProperty("confusion").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
        Assert.Equal(14, confusion.Sum(r => r.Sum()));
        Assert.All(confusion, row => Assert.Equal(2, row.Sum()));
        Assert.Equal(accuracy, Enumerable.Range(0, 7).Sum(i => confusion[i][i]) / 14.0, 12);
        Assert.Equal(7, root.GetProperty("per_class").GetArrayLength());
        Assert.True(root.TryGetProperty("macro_f1", out _));
    }

    [Fact]
    public void Eval_PathWithAccentAndPunctuation_WrittenAsItselfInJson()
    {
        string data = WriteCrops("caf\u00e9 & co's", perClass: 1);

        (int exitCode, string output, _) = Run("eval", "--data", data, "--model", WriteModel(), "--format", "json");

        Assert.Equal(0, exitCode);
        Assert.Contains($"\"data\": \"{data}\"", output);
        using JsonDocument json = JsonDocument.Parse(output);
        Assert.Equal(data, json.RootElement.GetProperty("data").GetString());
    }

    [Fact]
    public void Eval_WithPlot_WritesPng()
    {
        string png = Path.Combine(_folder, "confusion.png");

        (int exitCode, _, _) = Run("eval", "--data", WriteCrops("val", perClass: 1), "--model", WriteModel(), "--tta", "--plot", png);

        Assert.Equal(0, exitCode);
        using SKBitmap bitmap = SKBitmap.Decode(png);
        Assert.Equal(900, bitmap.Width);
    }

    [Theory]
    [InlineData(new string[0], "identity", false)]
    [InlineData(new[] { "--tta" }, "ten-crop", true)]
    [InlineData(new[] { "--tta", "ten-crop" }, "ten-crop", true)]
    [InlineData(new[] { "--tta", "flip" }, "flip", true)]
    public void Eval_TtaOption_NamesTheViewsItAveraged(string[] ttaArguments, string views, bool tta)
    {
        (int exitCode, string output, string error) = Run(
            ["eval", "--data", WriteCrops("val", perClass: 1), "--model", WriteModel(), .. ttaArguments, "--format", "json"]);

        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, error);
        using JsonDocument json = JsonDocument.Parse(output);
        Assert.Equal(views, json.RootElement.GetProperty("views").GetString());
        Assert.Equal(tta, json.RootElement.GetProperty("tta").GetBoolean());
    }

    [Fact]
    public void Eval_UnknownTtaViews_IsAParseError()
    {
        ParseResult result = Program.CreateRootCommand().Parse(["eval", "--data", "val", "--tta", "rotate"]);

        Assert.Contains(result.Errors, e => e.Message.Contains("rotate", StringComparison.Ordinal));
    }

    [Fact]
    public void Eval_MissingData_ExitsOneWithOneLineNamingThePath()
    {
        string missing = Path.Combine(_folder, "nowhere");

        (int exitCode, string output, string error) = Run("eval", "--data", missing, "--model", WriteModel());

        Assert.Equal(1, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.Contains(missing, error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void Eval_ModelThatIsNotSafetensors_ExitsOne()
    {
        string bad = Path.Combine(_folder, "bad.safetensors");
        File.WriteAllText(bad, "not a model");

        (int exitCode, _, string error) = Run("eval", "--data", WriteCrops("val", perClass: 1), "--model", bad);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("inmood eval: ", error);
    }

    [Fact]
    public void Export_Onnx_WritesAModelOurReaderLoadsWithTheExpectedIo()
    {
        string onnx = Path.Combine(_folder, "m.onnx");

        (int exitCode, _, _) = Run("export", "--model", WriteModel(), "--out", onnx);

        Assert.Equal(0, exitCode);
        var model = OnnxReader.ReadFile(onnx);
        Assert.Equal(OnnxExport.InputName, model.Graph.Inputs[0].Name);
        Assert.Equal(OnnxExport.OutputName, model.Graph.Outputs[0].Name);
    }

    [Fact]
    public void Export_UnknownExtension_IsAUsageError()
    {
        (int exitCode, _, string error) = Run("export", "--model", WriteModel(), "--out", Path.Combine(_folder, "m.bin"));

        Assert.Equal(2, exitCode);
        Assert.Contains(".onnx or .safetensors", error);
    }

    [Fact]
    public void Train_NoValSplit_ExitsOneSayingSo()
    {
        string data = WriteCrops("flat", perClass: 10);

        (int exitCode, _, string error) = Run("train", "--data", data, "--out", Path.Combine(_folder, "w.safetensors"), "--epochs", "1");

        Assert.Equal(1, exitCode);
        Assert.Contains("no val/ folder", error);
    }

    [Fact]
    public void Train_MissingData_ExitsOneWithOneLineNamingThePath()
    {
        string missing = Path.Combine(_folder, "nowhere");

        (int exitCode, string output, string error) = Run("train", "--data", missing, "--out", Path.Combine(_folder, "w.safetensors"));

        Assert.Equal(1, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.Equal($"inmood train: {missing}: no such file or folder.", error.Trim());
    }

    [Fact]
    public void Train_OneEpochOnTinyFolders_WritesWeightsCheckpointLogAndPlot()
    {
        string root = WriteTinyFer();
        string weights = Path.Combine(_folder, "w.safetensors");

        (int exitCode, _, string error) = Run("train", "--data", root, "--out", weights, "--epochs", "1", "--batch", "16", "--threads", "2");

        Assert.True(exitCode == 0, error);
        Assert.True(File.Exists(weights + ".ckpt"));
        Assert.Single(File.ReadAllLines(weights + ".metrics.jsonl"));
        using SKBitmap plot = SKBitmap.Decode(weights + ".curves.png");
        Assert.Equal(1200, plot.Width);
        Assert.Equal(0, Run("eval", "--data", Path.Combine(root, "val"), "--model", weights).ExitCode);
    }

    [Fact]
    public void Average_TwoEpochsOfOneRun_WritesAModelEvalLoads()
    {
        string root = WriteTinyFer();
        string weights = Path.Combine(_folder, "w.safetensors"), first = Path.Combine(_folder, "epoch1.ckpt"), averaged = Path.Combine(_folder, "swa.safetensors");
        Assert.Equal(0, Run("train", "--data", root, "--out", weights, "--epochs", "1", "--batch", "16", "--width", "4").ExitCode);
        File.Copy(weights + ".ckpt", first);
        Assert.Equal(0, Run("train", "--data", root, "--out", weights, "--resume", weights + ".ckpt", "--epochs", "2").ExitCode);

        (int exitCode, string output, string error) = Run("average", first, weights + ".ckpt", "--data", root, "--out", averaged, "--bn-calibration-images", "40");

        Assert.True(exitCode == 0, error);
        Assert.Contains("the mean of 2 checkpoints, val accuracy", output, StringComparison.Ordinal);
        Assert.Equal(0, Run("eval", "--data", Path.Combine(root, "val"), "--model", averaged).ExitCode);
    }

    [Fact]
    public void Average_MissingCheckpoint_ExitsOneNamingIt()
    {
        string root = Path.Combine(_folder, "fer");
        WriteCrops(Path.Combine("fer", "train"), perClass: 2);
        WriteCrops(Path.Combine("fer", "val"), perClass: 1);
        string missing = Path.Combine(_folder, "missing.ckpt");

        (int exitCode, _, string error) = Run("average", missing, "--data", root, "--out", Path.Combine(_folder, "a.safetensors"));

        Assert.Equal(1, exitCode);
        Assert.Contains(missing, error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void Average_OutputNotSafetensors_IsAUsageError()
    {
        (int exitCode, _, string error) = Run("average", "a.ckpt", "--data", "fer", "--out", "a.onnx");

        Assert.Equal(2, exitCode);
        Assert.Contains(".safetensors", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_BadThreads_IsAUsageError()
    {
        (int exitCode, string output, _) = Run("bench", "--threads", "0");

        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, output);
    }

    [Fact]
    public void BenchOnnx_ExportedModelAsJson_ReportsConsistentTimes()
    {
        string onnx = Path.Combine(_folder, "model.onnx");
        Assert.Equal(0, Run("export", "--model", WriteModel(), "--out", onnx).ExitCode);

        (int exitCode, string output, string error) = Run("bench", "--onnx", onnx, "--batch", "4", "--threads", "1", "--seconds", "0.05", "--format", "json");

        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, error);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement result = json.RootElement.GetProperty("result");
        Assert.Equal([4, 1, 48, 48], result.GetProperty("input_shape").EnumerateArray().Select(d => d.GetInt32()));
        double perRun = result.GetProperty("milliseconds_per_run").GetDouble();
        Assert.True(perRun > 0);
        Assert.Equal(perRun / 4, result.GetProperty("milliseconds_per_image").GetDouble(), 6);
        Assert.Equal(4000 / perRun, result.GetProperty("images_per_second").GetDouble(), 3);
    }

    [Fact]
    public void Export_TwoModels_WritesAnEnsembleThatEvaluatesLikeItsMembersMean()
    {
        string model = WriteModel(), copy = Path.Combine(_folder, "copy.safetensors");
        File.Copy(model, copy);
        string ensemble = Path.Combine(_folder, "ensemble.safetensors");
        string data = WriteCrops("val", perClass: 2);

        (int exitCode, _, string error) = Run("export", "--model", model, "--model", copy, "--out", ensemble);
        (int singleExit, string single, _) = Run("eval", "--data", data, "--model", model, "--format", "json");
        (int pairExit, string pair, _) = Run("eval", "--data", data, "--model", ensemble, "--format", "json");

        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, error);
        Assert.Equal(0, singleExit);
        Assert.Equal(0, pairExit);
        using JsonDocument singleJson = JsonDocument.Parse(single), pairJson = JsonDocument.Parse(pair);
        Assert.Equal(singleJson.RootElement.GetProperty("confusion").GetRawText(), pairJson.RootElement.GetProperty("confusion").GetRawText());
    }

    [Fact]
    public void BenchOnnx_NotAnOnnxFile_FailsNamingTheFile()
    {
        string bogus = Path.Combine(_folder, "bogus.onnx");
        File.WriteAllText(bogus, "not a model");

        (int exitCode, string output, string error) = Run("bench", "--onnx", bogus);

        Assert.Equal(1, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.StartsWith($"inmood bench: {bogus}: not readable as an ONNX model: ", error, StringComparison.Ordinal);
        Assert.Single(error.Split(bogus)[1..]);
    }

    [Theory]
    [InlineData("--resume")]
    [InlineData("--init")]
    [InlineData("--teacher")]
    public void Train_MissingModelFile_ReportedBeforeTheDataIsRead(string option)
    {
        string missing = Path.Combine(_folder, "missing.safetensors");

        (int exitCode, string output, string error) = Run("train", "--data", WriteCrops("train", perClass: 1), "--out", Path.Combine(_folder, "out.safetensors"), option, missing);

        Assert.Equal(1, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.Equal($"inmood train: {missing}: cannot read the file (no such file)", error.TrimEnd());
    }

    [Fact]
    public void Train_DistillPerViewWithoutTeacher_UsageError()
    {
        (int exitCode, string output, string error) = Run("train", "--data", WriteCrops("train", perClass: 1), "--out", Path.Combine(_folder, "out.safetensors"), "--distill-per-view");

        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.Equal("inmood train: --distill-per-view needs at least one --teacher.", error.TrimEnd());
    }

    [Theory]
    [InlineData("--epochs", "0", "--epochs must be at least 1.")]
    [InlineData("--batch", "-1", "--batch must be at least 1.")]
    [InlineData("--lr", "NaN", "--lr must be a positive number.")]
    [InlineData("--lr", "-1", "--lr must be a positive number.")]
    [InlineData("--weight-decay", "-5", "--weight-decay must be 0 or a positive number.")]
    public void Train_NumberOutOfRange_UsageErrorBeforeTheDataIsRead(string option, string value, string expected)
    {
        (int exitCode, string output, string error) = Run("train", "--data", Path.Combine(_folder, "not-read"), "--out", Path.Combine(_folder, "out.safetensors"), option, value);

        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.Equal($"inmood train: {expected}", error.TrimEnd());
    }

    [Fact]
    public void Train_OutIsAFolderOrEmpty_UsageErrorBeforeTraining()
    {
        (int folderExit, _, string folderError) = Run("train", "--data", Path.Combine(_folder, "not-read"), "--out", _folder);
        (int emptyExit, _, string emptyError) = Run("train", "--data", Path.Combine(_folder, "not-read"), "--out", Path.Combine(_folder, "w.safetensors"), "--log", string.Empty);

        Assert.Equal(2, folderExit);
        Assert.Equal($"inmood train: --out needs a file name, not the folder {_folder}.", folderError.TrimEnd());
        Assert.Equal(2, emptyExit);
        Assert.Equal("inmood train: --log needs a file name.", emptyError.TrimEnd());
    }

    [Fact]
    public void Train_ResumeFinishedRunWithoutEpochs_SaysItHasFinished()
    {
        string root = WriteTinyFer();
        string weights = Path.Combine(_folder, "w.safetensors");
        Assert.Equal(0, Run("train", "--data", root, "--out", weights, "--epochs", "1", "--batch", "16", "--width", "4").ExitCode);

        (int exitCode, _, string error) = Run("train", "--data", root, "--out", Path.Combine(_folder, "other.safetensors"), "--resume", weights + ".ckpt");

        Assert.Equal(0, exitCode);
        Assert.EndsWith($"inmood train: {weights}.ckpt: the run has finished all 1 epochs; nothing to do (give --epochs with more to train it further).", error.TrimEnd());
        Assert.False(File.Exists(Path.Combine(_folder, "other.safetensors.metrics.jsonl")));
    }

    [Fact]
    public void Train_DivergingRun_StopsNamingTheEpochAndBatch()
    {
        string root = WriteTinyFer();

        (int exitCode, _, string error) = Run("train", "--data", root, "--out", Path.Combine(_folder, "w.safetensors"), "--epochs", "1", "--batch", "16", "--width", "4", "--lr", "1e30");

        Assert.Equal(1, exitCode);
        Assert.Matches(@"inmood train: the loss became (NaN|Infinity) in epoch 1, batch \d+: the run diverged", error);
        Assert.False(File.Exists(Path.Combine(_folder, "w.safetensors")));
    }

    [Fact]
    public void Average_OutIsAnInputOrAnInputTwice_UsageErrorBeforeReadingAnything()
    {
        string first = Path.Combine(_folder, "e1.safetensors"), second = Path.Combine(_folder, "e2.safetensors");

        (int overwriteExit, _, string overwriteError) = Run("average", first, second, "--data", Path.Combine(_folder, "not-read"), "--out", first);
        (int twiceExit, _, string twiceError) = Run("average", first, Path.Combine(_folder, ".", "e1.safetensors"), "--data", Path.Combine(_folder, "not-read"), "--out", Path.Combine(_folder, "swa.safetensors"));

        Assert.Equal(2, overwriteExit);
        Assert.Equal(2, twiceExit);
        Assert.Equal($"inmood average: --out {first} is one of the checkpoints averaged ({first}); it would be overwritten.", overwriteError.TrimEnd());
        Assert.StartsWith("inmood average: ", twiceError);
        Assert.EndsWith("e1.safetensors is given twice; each checkpoint counts once in the mean.", twiceError.TrimEnd());
    }

    [Fact]
    public void Export_OutIsAnEnsembleMemberOrAMemberTwice_UsageErrorAndTheMemberUntouched()
    {
        string model = WriteModel(), other = Path.Combine(_folder, "other.safetensors");
        File.Copy(model, other);
        byte[] before = File.ReadAllBytes(model);

        (int overwriteExit, _, string overwriteError) = Run("export", "--model", model, "--model", other, "--out", model);
        (int twiceExit, _, string twiceError) = Run("export", "--model", model, "--model", model, "--out", Path.Combine(_folder, "e.onnx"));

        Assert.Equal(2, overwriteExit);
        Assert.Equal($"inmood export: --out {model} is one of the ensemble's models ({model}); it would be overwritten.", overwriteError.TrimEnd());
        Assert.Equal(2, twiceExit);
        Assert.Equal($"inmood export: {model} is given twice; an ensemble's members are different models.", twiceError.TrimEnd());
        Assert.Equal(before, File.ReadAllBytes(model));
    }

    [Fact]
    public void BenchOnnx_Folder_SaysItIsAFolderNamingItOnce()
    {
        (int exitCode, _, string error) = Run("bench", "--onnx", _folder);

        Assert.Equal(1, exitCode);
        Assert.Equal($"inmood bench: {_folder}: cannot read the file (a folder, not a file)", error.TrimEnd());
    }

    /// <summary>A FER2013-shaped folder with train/ (10 crops a class) and val/ (2 a class); returns its path.</summary>
    private string WriteTinyFer()
    {
        WriteCrops(Path.Combine("fer", "train"), perClass: 10);
        WriteCrops(Path.Combine("fer", "val"), perClass: 2);
        return Path.Combine(_folder, "fer");
    }

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = Program.CreateRootCommand().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }

    private string WriteModel()
    {
        string path = Path.Combine(_folder, "model.safetensors");
        if (!File.Exists(path))
        {
            Network network = StandardNetworks.FerVgg();
            Initializer.HeNormal(network, 3);
            NetworkFile.Save(network.FoldForInference(), path);
        }

        return path;
    }

    /// <summary>Writes 48x48 grey PNG crops into class folders under <paramref name="name"/>; each image is a different flat grey.</summary>
    private string WriteCrops(string name, int perClass)
    {
        string root = Path.Combine(_folder, name);
        for (int c = 0; c < s_classes.Length; c++)
        {
            string folder = Path.Combine(root, s_classes[c]);
            Directory.CreateDirectory(folder);
            for (int i = 0; i < perClass; i++)
            {
                using var bitmap = new SKBitmap(48, 48, SKColorType.Gray8, SKAlphaType.Opaque);
                bitmap.Erase(new SKColor((byte)(30 * c + i), (byte)(30 * c + i), (byte)(30 * c + i)));
                using SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
                File.WriteAllBytes(Path.Combine(folder, $"{i}.png"), png.ToArray());
            }
        }

        return root;
    }
}
