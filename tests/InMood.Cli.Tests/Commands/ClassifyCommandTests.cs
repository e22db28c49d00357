using System.Diagnostics;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using InMood.Cli.Tests.Classification;
using SkiaSharp;

namespace InMood.Cli.Tests.Commands;

public sealed class ClassifyCommandTests
{
    private static readonly string[] s_emotions = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"];

    [Theory]
    [InlineData("one-face.jpg", 1)]
    [InlineData("two-faces.jpg", 2)]
    [InlineData("three-faces.jpg", 3)]
    [InlineData("three-faces-hard.jpg", 3)]
    public void Invoke_RepositoryPhoto_FindsEveryFace(string name, int faces)
    {
        // Arrange
        string photo = ClassifyTestFiles.Photo(name);

        // Act
        (int exitCode, string output, string error) = Run("classify", photo, "--format", "jsonl", "--model", ClassifyTestFiles.Model, "--seed", "1");

        // Assert
        Assert.Equal(0, exitCode);
        Assert.Contains("1 image,", error);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement image = json.RootElement;
        Assert.Equal(photo, image.GetProperty("file").GetString());
        Assert.Equal(faces, image.GetProperty("faces").GetArrayLength());
        foreach (JsonElement face in image.GetProperty("faces").EnumerateArray())
        {
            Assert.InRange(face.GetProperty("score").GetSingle(), 0.5f, 1f);
            float sum = s_emotions.Sum(e => face.GetProperty("probabilities").GetProperty(e).GetSingle());
            Assert.InRange(sum, 0.999f, 1.001f);
            Assert.Contains(face.GetProperty("emotion").GetString(), s_emotions);
        }

        Assert.Contains(image.GetProperty("emotion").GetString(), s_emotions);
        Assert.StartsWith("https://", image.GetProperty("playlist").GetProperty("url").GetString());
        Assert.Equal(JsonValueKind.Null, image.GetProperty("error").ValueKind);
    }

    [Fact]
    public void Invoke_MirrorOff_KeepsTheFacesAndChangesOnlyTheirProbabilities()
    {
        // Arrange
        string photo = ClassifyTestFiles.Photo("three-faces.jpg");
        string[] args = ["classify", photo, "--format", "jsonl", "--model", ClassifyTestFiles.Model, "--seed", "1"];

        // Act
        (int plainExit, string plain, _) = Run([.. args, "--mirror", "false"]);
        (int mirroredExit, string mirrored, _) = Run(args);
        (int _, string explicitlyMirrored, _) = Run([.. args, "--mirror"]);

        // Assert
        Assert.Equal(0, plainExit);
        Assert.Equal(0, mirroredExit);
        Assert.Equal(mirrored, explicitlyMirrored);
        using JsonDocument plainJson = JsonDocument.Parse(plain);
        using JsonDocument mirroredJson = JsonDocument.Parse(mirrored);
        JsonElement[] plainFaces = [.. plainJson.RootElement.GetProperty("faces").EnumerateArray()];
        JsonElement[] mirroredFaces = [.. mirroredJson.RootElement.GetProperty("faces").EnumerateArray()];
        Assert.Equal(3, mirroredFaces.Length);
        for (int i = 0; i < plainFaces.Length; i++)
        {
            Assert.Equal(plainFaces[i].GetProperty("box").GetRawText(), mirroredFaces[i].GetProperty("box").GetRawText());
            Assert.NotEqual(plainFaces[i].GetProperty("probabilities").GetRawText(), mirroredFaces[i].GetProperty("probabilities").GetRawText());
            float sum = s_emotions.Sum(e => mirroredFaces[i].GetProperty("probabilities").GetProperty(e).GetSingle());
            Assert.InRange(sum, 0.999f, 1.001f);
        }
    }

    [Fact]
    public void Invoke_JsonFormat_OutputMatchesSchema()
    {
        // Arrange
        using JsonDocument schema = JsonDocument.Parse(File.ReadAllText(TestPaths.Schema));
        string[] args = ["classify", TestPaths.Photos, ClassifyTestFiles.Truncated, NoFacePicture(), "--format", "json", "--model", ClassifyTestFiles.Model, "--length", "3"];

        // Act
        (int exitCode, string output, string _) = Run(args);

        // Assert
        Assert.Equal(1, exitCode);
        using JsonDocument json = JsonDocument.Parse(output);
        Assert.Equal(6, json.RootElement.GetArrayLength());
        Assert.Empty(JsonSchemaChecker.Check(schema.RootElement, json.RootElement));
    }

    [Fact]
    public void Invoke_FilesAndFolders_KeepsInputOrder()
    {
        // Arrange
        string[] inputs = [ClassifyTestFiles.Photo("two-faces.jpg"), TestPaths.Photos, ClassifyTestFiles.Photo("one-face.jpg")];
        string[] expected = [inputs[0], .. new[] { "one-face.jpg", "three-faces-hard.jpg", "three-faces.jpg", "two-faces.jpg" }.Select(n => Path.Combine(TestPaths.Photos, n)), inputs[2]];

        // Act
        (int exitCode, string output, string _) = Run(["classify", .. inputs, "--format", "jsonl", "--model", ClassifyTestFiles.Model, "--threads", "2"]);

        // Assert
        Assert.Equal(0, exitCode);
        string[] files = [.. Lines(output).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("file").GetString()!)];
        Assert.Equal(expected, files);
    }

    [Fact]
    public void Invoke_ManyPhotosOnOneThreadAndOnTwo_SameResultsInTheSameOrder()
    {
        // Arrange
        string[] inputs = [.. Enumerable.Repeat(TestPaths.Photos, 12), ClassifyTestFiles.Truncated, TestPaths.Photos];
        string[] common = ["--format", "jsonl", "--model", ClassifyTestFiles.Model, "--seed", "4"];

        // Act
        (int exitOne, string one, string _) = Run(["classify", .. inputs, .. common, "--threads", "1"]);
        (int exitTwo, string two, string _) = Run(["classify", .. inputs, .. common, "--threads", "2"]);

        // Assert
        Assert.Equal(1, exitOne);
        Assert.Equal(1, exitTwo);
        Assert.Equal(13 * 4 + 1, Lines(one).Length);
        Assert.Equal(one, two);
    }

    [Fact]
    public void Invoke_ModelThatIsNotSafetensors_ExitsOneAndWritesNoData()
    {
        // Arrange
        string bad = Path.Combine(ClassifyTestFiles.Folder, "not-a-model.safetensors");
        File.WriteAllText(bad, "not a model");

        // Act
        (int exitCode, string output, string error) = Run("classify", ClassifyTestFiles.Photo("one-face.jpg"), "--format", "json", "--model", bad);

        // Assert
        Assert.Equal(1, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.StartsWith("inmood classify: ", error);
        Assert.Contains("not-a-model.safetensors", error);
    }

    [Fact]
    public void Invoke_BadInputs_ErrorRecordPerFileAndBatchContinues()
    {
        // Arrange
        (string Path, string Code)[] bad =
        [
            (ClassifyTestFiles.Missing, "unreadable"),
            (ClassifyTestFiles.Empty, "empty"),
            (ClassifyTestFiles.Truncated, "truncated"),
            (ClassifyTestFiles.Corrupt, "corrupt"),
            (ClassifyTestFiles.NotAnImage, "not_an_image"),
            (ClassifyTestFiles.Huge, "too_large"),
        ];
        string good = ClassifyTestFiles.Photo("one-face.jpg");

        // Act
        (int exitCode, string output, string error) = Run(["classify", .. bad.Select(b => b.Path), good, "--format", "jsonl", "--model", ClassifyTestFiles.Model]);

        // Assert
        Assert.Equal(1, exitCode);
        JsonElement[] records = [.. Lines(output).Select(line => JsonDocument.Parse(line).RootElement)];
        Assert.Equal(bad.Length + 1, records.Length);
        for (int i = 0; i < bad.Length; i++)
        {
            Assert.Equal(bad[i].Path, records[i].GetProperty("file").GetString());
            Assert.Equal(bad[i].Code, records[i].GetProperty("error").GetProperty("code").GetString());
            Assert.Equal(0, records[i].GetProperty("faces").GetArrayLength());
            Assert.Equal(JsonValueKind.Null, records[i].GetProperty("emotion").ValueKind);
        }

        Assert.Equal(1, records[^1].GetProperty("faces").GetArrayLength());
        string[] errorLines = Lines(error);
        Assert.Equal(bad.Length + 1, errorLines.Length);
        Assert.All(bad, b => Assert.Single(errorLines, line => line.Contains(b.Path, StringComparison.Ordinal) && line.EndsWith($"({b.Code})", StringComparison.Ordinal)));
        Assert.StartsWith("inmood classify: 7 images, 1 face, 6 failed", errorLines[^1]);
    }

    [Fact]
    public void Invoke_MaxPixelsBelowPhoto_TooLarge()
    {
        // Arrange
        string photo = ClassifyTestFiles.Photo("one-face.jpg");

        // Act
        (int exitCode, string output, string _) = Run("classify", photo, "--max-pixels", "1000", "--format", "jsonl", "--model", ClassifyTestFiles.Model);

        // Assert
        Assert.Equal(1, exitCode);
        Assert.Equal("too_large", JsonDocument.Parse(output).RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public void Invoke_PictureWithoutFace_EmptyFacesAndNullEmotion()
    {
        // Arrange
        string picture = NoFacePicture();

        // Act
        (int exitCode, string output, string _) = Run("classify", picture, "--format", "jsonl", "--model", ClassifyTestFiles.Model);

        // Assert
        Assert.Equal(0, exitCode);
        JsonElement image = JsonDocument.Parse(output).RootElement;
        Assert.Equal(0, image.GetProperty("faces").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, image.GetProperty("emotion").ValueKind);
        Assert.Equal(JsonValueKind.Null, image.GetProperty("playlist").ValueKind);
        Assert.Equal(JsonValueKind.Null, image.GetProperty("error").ValueKind);
    }

    [Theory]
    [InlineData(16, 16, 0)]
    [InlineData(90, 30, 0)]
    [InlineData(24, 24, 1)]
    [InlineData(48, 40, 1)]
    public void Invoke_SmallPictureWithoutDetection_FaceOnlyWhenShapedLikeACrop(int width, int height, int faces)
    {
        // Arrange
        string picture = Path.Combine(ClassifyTestFiles.Folder, $"plain-{width}x{height}.png");
        using (var bitmap = new SKBitmap(width, height))
        {
            bitmap.Erase(new SKColor(128, 128, 128));
            using SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(picture, png.ToArray());
        }

        // Act
        (int exitCode, string output, string _) = Run("classify", picture, "--format", "jsonl", "--model", ClassifyTestFiles.Model);

        // Assert
        Assert.Equal(0, exitCode);
        JsonElement image = JsonDocument.Parse(output).RootElement;
        Assert.Equal(faces, image.GetProperty("faces").GetArrayLength());
        Assert.Equal(faces == 0, image.GetProperty("emotion").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public void Invoke_ExifRotatedPhoto_SameBoxesAsUpright()
    {
        // Arrange
        string upright = ClassifyTestFiles.Photo("one-face.jpg");

        // Act
        (int _, string output, string _) = Run("classify", upright, ClassifyTestFiles.Rotated, "--format", "jsonl", "--model", ClassifyTestFiles.Model);

        // Assert
        JsonElement[] images = [.. Lines(output).Select(line => JsonDocument.Parse(line).RootElement)];
        Assert.Equal(images[0].GetProperty("width").GetInt32(), images[1].GetProperty("width").GetInt32());
        Assert.Equal(images[0].GetProperty("height").GetInt32(), images[1].GetProperty("height").GetInt32());
        JsonElement a = images[0].GetProperty("faces")[0].GetProperty("box"), b = images[1].GetProperty("faces")[0].GetProperty("box");
        foreach (string edge in (string[])["x", "y", "width", "height"])
        {
            Assert.InRange(b.GetProperty(edge).GetInt32() - a.GetProperty(edge).GetInt32(), -8, 8);
        }
    }

    [Fact]
    public void Invoke_Csv_OneRowPerFace()
    {
        // Arrange
        string photo = ClassifyTestFiles.Photo("three-faces.jpg");

        // Act
        (int exitCode, string output, string _) = Run("classify", photo, NoFacePicture(), "--format", "csv", "--model", ClassifyTestFiles.Model);

        // Assert
        Assert.Equal(0, exitCode);
        string[] rows = Lines(output);
        Assert.Equal(1 + 3 + 1, rows.Length);
        Assert.StartsWith("file,face,x,y,width,height,score,emotion,confidence,angry,", rows[0]);
        Assert.All(rows, row => Assert.Equal(20, row.Split(',').Length));
        Assert.Equal(["1", "2", "3", ""], rows[1..].Select(row => row.Split(',')[1]));
    }

    [Fact]
    public void Invoke_OutputFile_WritesDataThereAndNothingToStdout()
    {
        // Arrange
        string path = Path.Combine(ClassifyTestFiles.Folder, $"out-{Guid.NewGuid():N}.json");

        // Act
        (int exitCode, string output, string _) = Run("classify", ClassifyTestFiles.Photo("two-faces.jpg"), "--format", "json", "--output", path, "--model", ClassifyTestFiles.Model);

        // Assert
        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, output);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal(2, json.RootElement[0].GetProperty("faces").GetArrayLength());
        Assert.Empty(Directory.GetFiles(ClassifyTestFiles.Folder, ".out-*.tmp"));
    }

    [Fact]
    public void Invoke_OutputInMissingFolder_CreatesTheFolder()
    {
        // Arrange
        string missing = Path.Combine(ClassifyTestFiles.Folder, $"missing-{Guid.NewGuid():N}");
        string path = Path.Combine(missing, "moods.json");

        // Act
        (int exitCode, _, _) = Run("classify", ClassifyTestFiles.Photo("one-face.jpg"), "--output", path, "--format", "json", "--model", ClassifyTestFiles.Model);

        // Assert
        Assert.Equal(0, exitCode);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal(1, json.RootElement.GetArrayLength());
    }

    [Fact]
    public void Invoke_OutputIsAFolder_IsAUsageErrorNamingIt()
    {
        // Act
        (int exitCode, string output, string error) = Run("classify", ClassifyTestFiles.Photo("one-face.jpg"), "--output", ClassifyTestFiles.Folder, "--model", ClassifyTestFiles.Model);

        // Assert
        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.Equal($"inmood classify: --output {ClassifyTestFiles.Folder} is a folder; give a file name", error.TrimEnd());
    }

    [Fact]
    public void Invoke_OutputOnAFullDevice_ExitsOneAndLeavesTheDeviceADevice()
    {
        // Arrange
        const string full = "/dev/full";
        if (!OperatingSystem.IsLinux() || !File.Exists(full))
        {
            return;
        }

        // Act
        (int exitCode, string output, string error) = Run("classify", ClassifyTestFiles.Photo("one-face.jpg"), "--output", full, "--model", ClassifyTestFiles.Model);

        // Assert
        Assert.Equal(1, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.StartsWith($"inmood classify: {full}: cannot write the file (No space left on device", error);
        Assert.Equal("character special file", FileType(full));
    }

    [Fact]
    public void Invoke_FailedInputWithANewLineInItsName_StaysOneLineOnStderr()
    {
        // Arrange
        string missing = Path.Combine(ClassifyTestFiles.Folder, "two\nlines.jpg");

        // Act
        (int exitCode, _, string error) = Run("classify", missing, "--format", "jsonl", "--model", ClassifyTestFiles.Model);

        // Assert
        Assert.Equal(1, exitCode);
        string[] lines = error.TrimEnd().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("inmood classify: ", lines[0]);
        Assert.Contains("two\\nlines.jpg: cannot read the file", lines[0]);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Invoke_OutputIsOneOfTheInputs_IsAUsageErrorAndLeavesTheInputAlone(bool throughFolder, bool inSubFolder)
    {
        // Arrange
        string folder = Path.Combine(ClassifyTestFiles.Folder, $"victims-{Guid.NewGuid():N}");
        string photo = Path.Combine(folder, inSubFolder ? "deeper" : string.Empty, "victim.jpg");
        Directory.CreateDirectory(Path.GetDirectoryName(photo)!);
        File.Copy(ClassifyTestFiles.Photo("one-face.jpg"), photo);
        byte[] before = File.ReadAllBytes(photo);
        string input = throughFolder ? folder : photo;

        // Act
        (int exitCode, string output, string error) = Run("classify", input, "--recursive", "--output", photo, "--model", ClassifyTestFiles.Model);

        // Assert
        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.Equal($"inmood classify: --output {photo} is also an input (through {input}); it would be overwritten", error.TrimEnd());
        Assert.Equal(before, File.ReadAllBytes(photo));
    }

    [Fact]
    public void Invoke_SavePlaylistOnTheOutputOrAnInputOrNegativeSeed_IsAUsageError()
    {
        // Arrange
        string photo = ClassifyTestFiles.Photo("one-face.jpg");
        string output = Path.Combine(ClassifyTestFiles.Folder, $"same-{Guid.NewGuid():N}.json");

        // Act
        (int sameExit, _, string sameError) = Run("classify", photo, "--output", output, "--save-playlist", output, "--model", ClassifyTestFiles.Model);
        (int inputExit, _, string inputError) = Run("classify", photo, "--save-playlist", photo, "--model", ClassifyTestFiles.Model);
        (int seedExit, _, string seedError) = Run("classify", photo, "--seed", "-1", "--model", ClassifyTestFiles.Model);

        // Assert
        Assert.Equal(2, sameExit);
        Assert.Equal($"inmood classify: --save-playlist and --output name one file ({output}); the playlist would replace the output", sameError.TrimEnd());
        Assert.False(File.Exists(output));
        Assert.Equal(2, inputExit);
        Assert.StartsWith($"inmood classify: --save-playlist {photo} is also an input", inputError);
        Assert.Equal(2, seedExit);
        Assert.Equal("inmood classify: --seed must be 0 or more, got -1", seedError.TrimEnd());
    }

    [Fact]
    public void Invoke_OutputBesideTheInputsWithoutImageExtensionOrBelowWithoutRecursion_IsWritten()
    {
        // Arrange
        string folder = Path.Combine(ClassifyTestFiles.Folder, $"beside-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(folder, "deeper"));
        File.Copy(ClassifyTestFiles.Photo("one-face.jpg"), Path.Combine(folder, "a.jpg"));
        string beside = Path.Combine(folder, "moods.jsonl"), below = Path.Combine(folder, "deeper", "old.jpg");
        File.WriteAllText(beside, "old");
        File.WriteAllText(below, "old");

        // Act
        int besideExit = Run("classify", folder, "--output", beside, "--model", ClassifyTestFiles.Model).ExitCode;
        int belowExit = Run("classify", folder, "--output", below, "--model", ClassifyTestFiles.Model).ExitCode;

        // Assert
        Assert.Equal(0, besideExit);
        Assert.Equal(0, belowExit);
        Assert.StartsWith("{", File.ReadAllText(beside));
        Assert.StartsWith("{", File.ReadAllText(below));
    }

    [Fact]
    public void Invoke_FolderWithoutImages_SaysSoAndPointsToRecursive()
    {
        // Arrange
        string folder = Path.Combine(ClassifyTestFiles.Folder, $"no-images-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(folder, "holiday"));
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "not a photo");
        File.Copy(ClassifyTestFiles.Photo("one-face.jpg"), Path.Combine(folder, "holiday", "beach.jpg"));

        // Act
        (int flatExit, string flatOutput, string flatError) = Run("classify", folder, "--model", ClassifyTestFiles.Model);
        (int recursiveExit, string recursiveOutput, string recursiveError) = Run("classify", folder, "--recursive", "--model", ClassifyTestFiles.Model);

        // Assert
        Assert.Equal(0, flatExit);
        Assert.Equal(string.Empty, flatOutput);
        Assert.Contains($"inmood classify: {folder}: no images in this folder (.jpg, .jpeg, .png, .bmp, .gif, .webp); --recursive also reads its sub-folders", flatError);
        Assert.Equal(0, recursiveExit);
        Assert.Single(Lines(recursiveOutput));
        Assert.DoesNotContain("no images", recursiveError);
    }

    [FerValidationFact]
    public void Invoke_FerCropsWithoutDetection_OneUndetectedFaceEach()
    {
        // Arrange
        string folder = Path.Combine(TestPaths.FerValidation, "happy");

        // Act
        (int exitCode, string output, string error) = Run("classify", folder, "--no-detect", "--format", "jsonl", "--model", ClassifyTestFiles.Model);

        // Assert
        Assert.Equal(0, exitCode);
        JsonElement[] images = [.. Lines(output).Select(line => JsonDocument.Parse(line).RootElement)];
        Assert.Equal(Directory.GetFiles(folder).Length, images.Length);
        Assert.All(images, image =>
        {
            JsonElement face = Assert.Single(image.GetProperty("faces").EnumerateArray());
            Assert.Equal(JsonValueKind.Null, face.GetProperty("score").ValueKind);
            Assert.Equal(48, face.GetProperty("box").GetProperty("width").GetInt32());
        });
        Assert.Contains($"{images.Length} images, {images.Length} faces, 0 failed", error);
    }

    [FerValidationFact]
    public void Invoke_FerCropsWithDetection_EveryCropHasOneFace()
    {
        // Arrange
        string[] crops = [.. Directory.GetFiles(Path.Combine(TestPaths.FerValidation, "sad")).Order(StringComparer.Ordinal).Take(30)];

        // Act
        (int exitCode, string output, string _) = Run(["classify", .. crops, "--format", "jsonl", "--model", ClassifyTestFiles.Model]);

        // Assert
        Assert.Equal(0, exitCode);
        Assert.All(Lines(output), line => Assert.Equal(1, JsonDocument.Parse(line).RootElement.GetProperty("faces").GetArrayLength()));
    }

    [Theory]
    [InlineData("--format", "xml")]
    [InlineData("--strategy", "loud")]
    [InlineData("--length", "0")]
    [InlineData("--threads", "0")]
    [InlineData("--save-playlist", "list.txt")]
    public void Invoke_BadOption_UsageErrorTwo(string option, string value)
    {
        // Arrange
        string photo = ClassifyTestFiles.Photo("one-face.jpg");

        // Act
        (int exitCode, string output, string error) = Run("classify", photo, option, value, "--model", ClassifyTestFiles.Model);

        // Assert
        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.StartsWith("inmood classify: ", error);
    }

    [Theory]
    [InlineData("--formt")]
    [InlineData("-x")]
    public void Parse_UnknownOption_IsAnErrorNamingIt(string option)
    {
        // Arrange
        string[] args = ["classify", "face.jpg", option, "json"];

        // Act
        ParseResult result = Program.CreateRootCommand().Parse(args);

        // Assert
        Assert.Contains(result.Errors, e => e.Message.StartsWith($"Unrecognized option '{option}'", StringComparison.Ordinal));
    }

    [Fact]
    public void Tool_UnknownOption_ExitsTwoWithTheErrorOnStderrAndNothingOnStdout()
    {
        // Arrange
        string photo = ClassifyTestFiles.Photo("one-face.jpg");

        // Act
        (int exitCode, string output, string error) = RunTool(null, "classify", photo, "--formt", "json", "--model", ClassifyTestFiles.Model);

        // Assert
        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.Contains("Unrecognized option '--formt'", error);
        Assert.Contains("See 'inmood classify --help'.", error);
        Assert.DoesNotContain("cannot read", error);
    }

    [Fact]
    public void Tool_MistypedOptionAndUnparsableNumber_SuggestionsAndPlainWordsOnStderrOnly()
    {
        // Act
        (int mistypedExit, string mistypedOutput, string mistypedError) = RunTool(null, "eval", "--dat", "x");
        (int numberExit, string numberOutput, string numberError) = RunTool(null, "train", "--data", "x", "--out", "y", "--lr", "fast");

        // Assert
        Assert.Equal(2, mistypedExit);
        Assert.Equal(string.Empty, mistypedOutput);
        Assert.Contains("'--dat' was not matched. Did you mean one of the following?\n--data\n", mistypedError.ReplaceLineEndings("\n"));
        Assert.Equal(2, numberExit);
        Assert.Equal(string.Empty, numberOutput);
        Assert.Contains("Cannot parse argument 'fast' for option '--lr' as a number", numberError);
        Assert.DoesNotContain("System.", numberError);
    }

    [Fact]
    public void Invoke_NoInputs_UsageErrorTwo()
    {
        // Arrange
        string[] args = ["classify", "--model", ClassifyTestFiles.Model];

        // Act
        (int exitCode, string _, string error) = Run(args);

        // Assert
        Assert.Equal(2, exitCode);
        Assert.Contains("at least one", error);
    }

    [Fact]
    public void Tool_StandardInput_ClassifiesTheBytes()
    {
        // Arrange
        byte[] photo = File.ReadAllBytes(ClassifyTestFiles.Photo("two-faces.jpg"));

        // Act
        (int exitCode, string output, string _) = RunTool(photo, "classify", "-", "--model", ClassifyTestFiles.Model);

        // Assert
        Assert.Equal(0, exitCode);
        JsonElement image = JsonDocument.Parse(output).RootElement;
        Assert.Equal("-", image.GetProperty("file").GetString());
        Assert.Equal(2, image.GetProperty("faces").GetArrayLength());
    }

    [Fact]
    public void Invoke_FileNameWithAccentsAndPunctuation_WrittenAsItselfInJson()
    {
        // Arrange
        string folder = Path.Combine(ClassifyTestFiles.Folder, $"names-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        string photo = Path.Combine(folder, "caf\u00e9 & co's.jpg");
        File.Copy(ClassifyTestFiles.Photo("two-faces.jpg"), photo);

        // Act
        (int exitCode, string output, string _) = Run("classify", photo, "--format", "jsonl", "--model", ClassifyTestFiles.Model, "--mirror", "false");
        Directory.Delete(folder, recursive: true);

        // Assert
        Assert.Equal(0, exitCode);
        Assert.Contains($"\"file\":\"{photo}\"", output, StringComparison.Ordinal);
        Assert.Equal(photo, JsonDocument.Parse(output).RootElement.GetProperty("file").GetString());
    }

    [Theory]
    [InlineData(10, 3, "    ... 7 more with --format json or --save-playlist FILE")]
    [InlineData(2, 2, null)]
    public void Invoke_TableFormat_ListsTheFirstTracksAndCountsTheRest(int length, int listed, string? rest)
    {
        // Arrange
        string photo = ClassifyTestFiles.Photo("two-faces.jpg");

        // Act
        (int exitCode, string output, string _) = Run(
            "classify", photo, "--format", "table", "--model", ClassifyTestFiles.Model, "--seed", "1", "--length", length.ToString(CultureInfo.InvariantCulture));

        // Assert
        Assert.Equal(0, exitCode);
        string[] lines = Lines(output);
        int playlist = Array.FindIndex(lines, line => line.StartsWith("  playlist https://", StringComparison.Ordinal));
        Assert.Equal(3, playlist);
        Assert.Matches(@"\(valence [+-]\d\.\d\d, arousal [+-]\d\.\d\d\)$", lines[playlist]);
        for (int i = 1; i <= listed; i++)
        {
            Assert.Matches($@"^    {i}\. .+ - .+$", lines[playlist + i]);
        }

        Assert.Equal(playlist + 1 + listed + (rest is null ? 0 : 1), lines.Length);
        if (rest is not null)
        {
            Assert.Equal(rest, lines[^1]);
        }
    }

    [Fact]
    public void Tool_ClosedStdout_EndsQuietly()
    {
        // Arrange
        string tool = ToolProcess.Dll;
        string photos = TestPaths.Photos;
        string script = $"dotnet '{tool}' classify '{photos}' '{photos}' '{photos}' '{photos}' --format jsonl --model '{ClassifyTestFiles.Model}' | head -1 >/dev/null; echo \"exit=${{PIPESTATUS[0]}}\"";

        // Act
        (int _, string output, string error) = ToolProcess.Run("bash", ["-c", script], null);

        // Assert
        Assert.Equal("exit=0", output.Trim());
        Assert.DoesNotContain("Exception", error);
    }

    [Fact]
    public void Tool_StdoutRedirectedToFile_LeavesLaterWritesAfterItsOutput()
    {
        // Arrange
        string tool = ToolProcess.Dll;
        string photo = ClassifyTestFiles.Photo("two-faces.jpg");
        string file = Path.Combine(ClassifyTestFiles.Folder, $"redirected.{Guid.NewGuid():N}.jsonl");
        string script = $"{{ echo BEFORE; dotnet '{tool}' classify '{photo}' --format jsonl --model '{ClassifyTestFiles.Model}'; echo AFTER; }} > '{file}'";

        // Act
        (int exitCode, string _, string _) = ToolProcess.Run("bash", ["-c", script], null);
        string[] lines = Lines(File.ReadAllText(file));
        File.Delete(file);

        // Assert
        Assert.Equal(0, exitCode);
        Assert.Equal(3, lines.Length);
        Assert.Equal("BEFORE", lines[0]);
        Assert.Equal(2, JsonDocument.Parse(lines[1]).RootElement.GetProperty("faces").GetArrayLength());
        Assert.Equal("AFTER", lines[2]);
    }

    /// <summary>The file type `stat` reports ("regular file", "fifo", "character special file", ...).</summary>
    private static string FileType(string path)
    {
        using Process stat = Process.Start(new ProcessStartInfo("stat", ["-L", "-c", "%F", path]) { RedirectStandardOutput = true })!;
        string type = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return type;
    }

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = Program.CreateRootCommand().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }

    private static (int ExitCode, string Output, string Error) RunTool(byte[]? input, params string[] args) =>
        ToolProcess.Run("dotnet", [ToolProcess.Dll, .. args], input);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A 400x300 PNG of a smooth colour gradient: no face anywhere.</summary>
    private static string NoFacePicture()
    {
        string path = Path.Combine(ClassifyTestFiles.Folder, "gradient.png");
        if (!File.Exists(path))
        {
            using var bitmap = new SKBitmap(400, 300);
            for (int y = 0; y < bitmap.Height; y++)
            {
                for (int x = 0; x < bitmap.Width; x++)
                {
                    bitmap.SetPixel(x, y, new SKColor((byte)(x * 255 / 400), (byte)(y * 255 / 300), 128));
                }
            }

            using SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(path + ".tmp", png.ToArray());
            File.Move(path + ".tmp", path, overwrite: true);
        }

        return path;
    }
}
