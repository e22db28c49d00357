using System.CommandLine;
using System.Globalization;
using System.Text;
using InMood.Cli.Classification;
using InMood.Cli.Models;
using InMood.Cli.Output;
using InMood.Engine.Formats;
using InMood.Engine.Networks;
using InMood.Engine.Threading;
using InMood.Music;
using InMood.Vision.Imaging;
using Microsoft.Win32.SafeHandles;

namespace InMood.Cli.Commands;

/// <summary>
/// <c>inmood classify</c>: every face in photos, its emotion, and a playlist for the mood, for files, folders
/// (--recursive) and "-" (image bytes on stdin). Data goes to stdout (or --output FILE, written atomically);
/// progress, one line per failed input and a closing summary go to stderr. Exit codes: 0 every input
/// classified, 1 some inputs failed (or the model, playlist config or output file failed), 2 usage error,
/// 130 stopped by Ctrl+C or SIGTERM (what was written is whole). A closed stdout ends the run quietly.
/// </summary>
internal static class ClassifyCommand
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static Command Create()
    {
        var inputs = new Argument<string[]>("inputs")
        {
            Description = "Image files, folders of images, or - for image bytes on stdin.",
            Arity = ArgumentArity.ZeroOrMore,
        }.RejectingOptionLikeValues();
        var recursive = new Option<bool>("--recursive", "-r") { Description = "Also classify the images in sub-folders of folder inputs." };
        var format = new Option<string?>("--format", "-f") { Description = "table, json (one array), jsonl (one object per line) or csv (one row per face); default: table on a terminal, else jsonl." };
        var outputFile = new Option<string?>("--output", "-o") { Description = "Write the data to this file (atomically: complete or untouched) instead of stdout." };
        var noDetect = new Option<bool>("--no-detect") { Description = "Treat every input as one face crop (its centred square) instead of finding faces." };
        var maxPixels = new Option<long>("--max-pixels") { Description = "Refuse images that declare more pixels than this (decompression bombs), and inputs of more than 9 bytes for each such pixel (plus 1 MiB).", DefaultValueFactory = _ => DecodeOptions.DefaultMaxPixels };
        var threads = new Option<int?>("--threads") { Description = "Worker threads (default: all cores)." };
        var model = new Option<string?>("--model") { Description = "Emotion model file (.safetensors); default: the shipped model." };
        var mirror = new Option<bool>("--mirror")
        {
            Description = "Average each face's emotion probabilities with its mirror image's (FER2013 val: 70.9% against 69.1% for one pass); '--mirror false' does one pass, half the emotion model's work.",
            DefaultValueFactory = _ => true,
        };
        var strategy = new Option<string>("--strategy", "-s") { Description = "Playlist strategy: match, uplift or iso.", DefaultValueFactory = _ => "match" };
        var length = new Option<int>("--length", "-n") { Description = $"Tracks per playlist (1 to {Recommender.MaxLength}).", DefaultValueFactory = _ => 10 };
        var seed = new Option<int?>("--seed") { Description = "Seed for the playlists' random draw; the same seed gives the same playlists." };
        var playlists = new Option<string?>("--playlists") { Description = $"JSON file mapping emotions to your own playlist URLs (default: {PlaylistLinks.DefaultPath()} if it exists)." };
        var save = new Option<string?>("--save-playlist") { Description = "Also save one playlist for the mood of all faces to this file (.m3u, .m3u8, .xspf, .json)." };
        var command = new Command("classify", "Find every face in photos, name its emotion and make a playlist for the mood.");
        command.Arguments.Add(inputs);
        foreach (Option option in (Option[])[recursive, format, outputFile, noDetect, maxPixels, threads, model, mirror, strategy, length, seed, playlists, save])
        {
            command.Options.Add(option);
        }

        command.SetAction((parseResult, cancellationToken) =>
        {
            var request = new Request(
                parseResult.GetValue(inputs) ?? [],
                parseResult.GetValue(recursive),
                parseResult.GetValue(format),
                parseResult.GetValue(outputFile),
                !parseResult.GetValue(noDetect),
                parseResult.GetValue(maxPixels),
                parseResult.GetValue(threads) ?? Environment.ProcessorCount,
                parseResult.GetValue(model),
                parseResult.GetValue(mirror),
                parseResult.GetValue(strategy)!,
                parseResult.GetValue(length),
                parseResult.GetValue(seed),
                parseResult.GetValue(playlists),
                parseResult.GetValue(save));
            return RunAsync(request, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(Request request, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (Validate(request, out PlaylistStrategy strategy) is string usage)
        {
            error.WriteLine($"inmood classify: {usage}");
            return 2;
        }

        bool stdoutIsConsole = ReferenceEquals(output, Console.Out);
        string format = request.Format ?? (stdoutIsConsole && !Console.IsOutputRedirected && request.OutputPath is null ? "table" : "jsonl");
        // NOTE: each lane of the pipeline runs its own network on one thread (parallel over batches); the models load
        // in the background while the first images are decoded and searched for faces.
        WorkerPool.SetSharedWorkers(1);
        Task<ClassificationModels> loading = Task.Run(() => LoadModels(request, strategy), CancellationToken.None);
        var settings = new ClassifySettings(request.Detect, request.MaxPixels, request.Threads);
        byte[]? standardInput = null;
        var pipeline = new ClassificationPipeline(settings, loading, () => standardInput ??= ReadStandardInput(request.MaxPixels));
        using var progress = new ClassifyProgress(error, ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected);
        if (progress.IsLive)
        {
            _ = Task.Run(() => progress.SetTotal(InputExpander.Count(request.Inputs, request.Recursive, cancellationToken)), cancellationToken);
        }

        ClassifySummary summary;
        AtomicFile? file = null;
        TextWriter data;
        try
        {
            (data, file) = OpenOutput(request.OutputPath, output, stdoutIsConsole);
        }
        catch (IOException e)
        {
            error.WriteLine($"inmood classify: {e.Message.ReplaceLineEndings(" ")}");
            return 1;
        }

        // NOTE: a failed write ends the run: on stdout it means the reader has gone (a closed pipe, ended quietly); for
        // --output it is an error (a full disk), reported at the end with the output left as it was.
        IOException? writeFailure = null;
        bool TryWrite(Action write)
        {
            try
            {
                write();
                return true;
            }
            catch (IOException e)
            {
                writeFailure ??= e;
                return false;
            }
        }

        try
        {
            ClassifyWriter writer = ClassifyWriter.Create(format, data);
            summary = await pipeline.RunAsync(
                InputExpander.Expand(request.Inputs, request.Recursive),
                () => TryWrite(writer.Begin),
                result =>
                {
                    if (result.Error is ClassifyError failure)
                    {
                        progress.WriteLine($"inmood classify: {OneLine(failure.Message)} ({failure.Code})");
                    }

                    return TryWrite(() => writer.Write(result));
                },
                _ => progress.Advance(),
                cancellationToken);
            if (!summary.OutputClosed)
            {
                summary = summary with { OutputClosed = !TryWrite(writer.End) };
            }

            if (file is not null)
            {
                if (writeFailure is null)
                {
                    TryWrite(data.Flush);
                }

                if (writeFailure is not null)
                {
                    error.WriteLine($"inmood classify: {file.Failure(writeFailure).Message}");
                    return 1;
                }

                file.Commit();
            }
        }
        catch (Exception e) when (loading.IsFaulted && ReferenceEquals(e, loading.Exception?.InnerException) && e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"inmood classify: {e.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
        catch (IOException e) when (file is not null)
        {
            error.WriteLine($"inmood classify: {e.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
        finally
        {
            if (file is not null)
            {
                file.Dispose();
            }
            else if (!ReferenceEquals(data, output))
            {
                TryWrite(data.Dispose);
            }
        }

        progress.Dispose();
        if (summary.OutputClosed)
        {
            return summary.Failures > 0 ? 1 : 0;
        }

        foreach (string folder in InputExpander.FoldersWithoutImages(request.Inputs, request.Recursive))
        {
            error.WriteLine($"inmood classify: {folder}: no images in this folder (.jpg, .jpeg, .png, .bmp, .gif, .webp){(request.Recursive || !Directory.EnumerateDirectories(folder).Any() ? string.Empty : "; --recursive also reads its sub-folders")}");
        }

        error.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"inmood classify: {Counted(summary.Images, "image")}, {Counted(summary.Faces, "face")}, {summary.Failures} failed, {summary.Seconds:F2} s ({(summary.Seconds > 0 ? summary.Images / summary.Seconds : 0):F1} images/s){(summary.Cancelled ? ", stopped by Ctrl+C/SIGTERM" : string.Empty)}"));
        if (request.SavePath is not null && !summary.Cancelled)
        {
            if (SavePlaylist(request.SavePath, summary, (await loading).Playlists, error) is int failed)
            {
                return failed;
            }
        }

        return summary.Cancelled ? 130 : summary.Failures > 0 ? 1 : 0;
    }

    /// <summary>Loads the emotion network (--model or the shipped one) and the playlist maker; throws InvalidDataException, IOException or UnauthorizedAccessException naming the problem.</summary>
    private static ClassificationModels LoadModels(Request request, PlaylistStrategy strategy)
    {
        Network network = EmotionModel.Load(request.ModelPath);
        PlaylistLinks links = request.PlaylistsPath is null ? PlaylistLinks.LoadDefault() : PlaylistLinks.Load(request.PlaylistsPath);
        var maker = new PlaylistMaker(new Recommender(Catalogue.Embedded, links), strategy, request.Length, request.Seed);
        return new ClassificationModels(new EmotionClassifier(network, request.Mirror), maker);
    }

    /// <summary>Saves the run's playlist; returns an exit code on failure, null on success.</summary>
    private static int? SavePlaylist(string path, ClassifySummary summary, PlaylistMaker maker, TextWriter error)
    {
        if (summary.Mood is not Mood mood)
        {
            error.WriteLine($"inmood classify: no face found, so no playlist saved to {path}");
            return null;
        }

        try
        {
            PlaylistFile.Save(maker.For(mood), path);
            return null;
        }
        catch (IOException e)
        {
            error.WriteLine($"inmood classify: {e.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
    }

    /// <summary>
    /// Where data goes: --output (an <see cref="AtomicFile"/>, committed at the end), or stdout. When the process's
    /// own stdout is a pipe on Unix its file descriptor is written directly, because Console.Out ignores a closed pipe
    /// (EPIPE) and the run would go on classifying for nobody; the raw descriptor raises IOException instead.
    /// </summary>
    /// <remarks>
    /// NOTE: only for pipes. On a file (`&gt; out.jsonl`) a FileStream writes at its own position and never moves the
    /// descriptor's shared offset, so whatever the shell wrote next into the same file overwrote our output.
    /// </remarks>
    private static (TextWriter Data, AtomicFile? File) OpenOutput(string? path, TextWriter output, bool stdoutIsConsole)
    {
        if (path is not null)
        {
            AtomicFile file = AtomicFile.Create(path);
            return (new StreamWriter(file.Stream, s_utf8, 1 << 16, leaveOpen: true), file);
        }

        if (stdoutIsConsole && Console.IsOutputRedirected && !OperatingSystem.IsWindows())
        {
            Stream stream = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, 1);
            if (stream.CanSeek)
            {
                stream.Dispose();
                stream = Console.OpenStandardOutput();
            }

            return (new StreamWriter(stream, s_utf8, 1 << 16), null);
        }

        return (output, null);
    }

    /// <summary>
    /// The text with control characters written as escapes (a new line as \n, others as \xNN), so that one failed
    /// input stays one line on stderr whatever its file name holds.
    /// </summary>
    private static string OneLine(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var line = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            line.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}"),
                _ => c.ToString(),
            });
        }

        return line.ToString();
    }

    /// <summary>"1 image", "2 images": a count with its noun for the summary line.</summary>
    private static string Counted(int count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? string.Empty : "s")}");

    private static byte[] ReadStandardInput(long maxPixels)
    {
        using Stream stdin = Console.OpenStandardInput();
        return EncodedImageReader.Read(stdin, InputExpander.StandardInput, EncodedImageReader.MaxBytesFor(maxPixels));
    }

    /// <summary>Checks the options; returns the problem, or null with the parsed strategy.</summary>
    private static string? Validate(Request request, out PlaylistStrategy strategy)
    {
        if (!PlaylistStrategyNames.TryParse(request.Strategy, out strategy))
        {
            return $"unknown --strategy \"{request.Strategy}\" (expected {string.Join(", ", PlaylistStrategyNames.Names)})";
        }

        if (request.Inputs.Length == 0)
        {
            return "give at least one image, folder or - (stdin)";
        }

        if (request.Inputs.Count(i => i == InputExpander.StandardInput) > 1)
        {
            return "- (stdin) can be given only once";
        }

        if (request.Format is not null && !ClassifyWriter.Formats.Contains(request.Format))
        {
            return $"unknown --format \"{request.Format}\" (expected {string.Join(", ", ClassifyWriter.Formats)})";
        }

        if (request.Length is < 1 or > Recommender.MaxLength)
        {
            return $"--length must be 1 to {Recommender.MaxLength}, got {request.Length}";
        }

        if (request.Seed is < 0)
        {
            return $"--seed must be 0 or more, got {request.Seed}";
        }

        if (request.Threads < 1)
        {
            return $"--threads must be at least 1, got {request.Threads}";
        }

        if (request.MaxPixels < 1)
        {
            return $"--max-pixels must be at least 1, got {request.MaxPixels}";
        }

        if (request.OutputPath == string.Empty || request.SavePath == string.Empty)
        {
            return $"{(request.OutputPath == string.Empty ? "--output" : "--save-playlist")} needs a file name";
        }

        if (request.OutputPath is not null && Directory.Exists(request.OutputPath))
        {
            return $"--output {request.OutputPath} is a folder; give a file name";
        }

        if (request.OutputPath is not null && InputExpander.ArgumentReading(request.Inputs, request.Recursive, request.OutputPath) is string overwritten)
        {
            return $"--output {request.OutputPath} is also an input (through {overwritten}); it would be overwritten";
        }

        if (request.SavePath is not null && request.OutputPath is not null && FilePaths.Same(request.SavePath, request.OutputPath))
        {
            return $"--save-playlist and --output name one file ({request.SavePath}); the playlist would replace the output";
        }

        if (request.SavePath is not null && InputExpander.ArgumentReading(request.Inputs, request.Recursive, request.SavePath) is string read)
        {
            return $"--save-playlist {request.SavePath} is also an input (through {read}); it would be overwritten";
        }

        if (request.SavePath is not null)
        {
            try
            {
                PlaylistFileWriter.FormatFromPath(request.SavePath);
            }
            catch (ArgumentException e)
            {
                return $"--save-playlist {e.Message}";
            }
        }

        return null;
    }

    private sealed record Request(
        string[] Inputs,
        bool Recursive,
        string? Format,
        string? OutputPath,
        bool Detect,
        long MaxPixels,
        int Threads,
        string? ModelPath,
        bool Mirror,
        string Strategy,
        int Length,
        int? Seed,
        string? PlaylistsPath,
        string? SavePath);
}
