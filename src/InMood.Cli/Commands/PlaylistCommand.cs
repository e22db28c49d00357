using System.CommandLine;
using System.Globalization;
using InMood.Cli.Output;
using InMood.Music;

namespace InMood.Cli;

/// <summary>
/// <c>inmood playlist</c>: recommends tracks from the shipped catalogue for an emotion or a
/// valence/arousal point. Exit codes: 0 success, 1 bad playlist config, catalogue or output
/// file, 2 usage error. Data goes to stdout, one-line errors to stderr.
/// </summary>
public static class PlaylistCommand
{
    private static readonly string[] s_formats = ["table", "json", "m3u"];

    public static Command Create()
    {
        var emotion = new Option<string?>("--emotion", "-e")
        {
            Description = $"Emotion to make music for: {string.Join(", ", Emotions.Names)}.",
        };
        var valence = new Option<float?>("--valence")
        {
            Description = "Valence from -1 (unpleasant) to 1 (pleasant); use with --arousal instead of --emotion.",
        };
        var arousal = new Option<float?>("--arousal")
        {
            Description = "Arousal from -1 (calm) to 1 (excited); use with --valence.",
        };
        var strategy = new Option<string>("--strategy", "-s")
        {
            Description = "match: music at the mood; uplift: music toward positive valence at moderate arousal; iso: start at the mood and move step by step to the uplift target.",
            DefaultValueFactory = _ => "match",
        };
        var length = new Option<int>("--length", "-n")
        {
            Description = $"Number of tracks (1 to {Recommender.MaxLength}).",
            DefaultValueFactory = _ => 10,
        };
        var seed = new Option<int?>("--seed")
        {
            Description = "Seed for the random choice among the nearest tracks; the same seed gives the same playlist.",
        };
        var playlists = new Option<string?>("--playlists")
        {
            Description = $"JSON file mapping emotions to your own playlist URLs (default: {PlaylistLinks.DefaultPath()} if it exists).",
        };
        var format = new Option<string>("--format", "-f")
        {
            Description = "Output format: table, json or m3u.",
            DefaultValueFactory = _ => "table",
        };
        var save = new Option<string?>("--save-playlist")
        {
            Description = "Also save the playlist to this file; the extension picks the format (.m3u, .m3u8, .xspf, .json).",
        };

        var command = new Command("playlist", "Recommend music for an emotion or a valence/arousal mood.");
        command.Options.Add(emotion);
        command.Options.Add(valence);
        command.Options.Add(arousal);
        command.Options.Add(strategy);
        command.Options.Add(length);
        command.Options.Add(seed);
        command.Options.Add(playlists);
        command.Options.Add(format);
        command.Options.Add(save);

        command.SetAction(parseResult =>
        {
            TextWriter output = parseResult.InvocationConfiguration.Output;
            TextWriter error = parseResult.InvocationConfiguration.Error;
            var request = new Request(
                parseResult.GetValue(emotion),
                parseResult.GetValue(valence),
                parseResult.GetValue(arousal),
                parseResult.GetValue(strategy)!,
                parseResult.GetValue(length),
                parseResult.GetValue(seed),
                parseResult.GetValue(playlists),
                parseResult.GetValue(format)!,
                parseResult.GetValue(save));
            return Run(request, output, error);
        });
        return command;
    }

    private static int Run(Request request, TextWriter output, TextWriter error)
    {
        if (Validate(request, out Mood mood, out PlaylistStrategy strategy) is string usage)
        {
            error.WriteLine($"inmood playlist: {usage}");
            return 2;
        }

        Playlist playlist;
        try
        {
            PlaylistLinks links = request.PlaylistsPath is null ? PlaylistLinks.LoadDefault() : PlaylistLinks.Load(request.PlaylistsPath);
            var recommender = new Recommender(Catalogue.Embedded, links);
            playlist = recommender.Recommend(mood, strategy, request.Length, request.Seed ?? Random.Shared.Next());
        }
        catch (InvalidDataException e)
        {
            error.WriteLine($"inmood playlist: {e.Message}");
            return 1;
        }

        switch (request.Format)
        {
            case "json":
                PlaylistFileWriter.Write(playlist, PlaylistFileFormat.Json, output);
                break;
            case "m3u":
                PlaylistFileWriter.Write(playlist, PlaylistFileFormat.M3u, output);
                break;
            default:
                PlaylistTable.Write(playlist, output);
                break;
        }

        if (request.SavePath is not null)
        {
            try
            {
                PlaylistFile.Save(playlist, request.SavePath);
            }
            catch (IOException e)
            {
                error.WriteLine($"inmood playlist: {e.Message.ReplaceLineEndings(" ")}");
                return 1;
            }
        }

        return 0;
    }

    /// <summary>Checks the option combination; returns the problem, or null with the mood and strategy.</summary>
    private static string? Validate(Request request, out Mood mood, out PlaylistStrategy strategy)
    {
        mood = default;
        if (!PlaylistStrategyNames.TryParse(request.Strategy, out strategy))
        {
            return $"unknown --strategy \"{request.Strategy}\" (expected {string.Join(", ", PlaylistStrategyNames.Names)})";
        }

        if (!s_formats.Contains(request.Format))
        {
            return $"unknown --format \"{request.Format}\" (expected {string.Join(", ", s_formats)})";
        }

        if (request.Length is < 1 or > Recommender.MaxLength)
        {
            return $"--length must be 1 to {Recommender.MaxLength}, got {request.Length}";
        }

        if (request.Seed is < 0)
        {
            return $"--seed must be 0 or more, got {request.Seed}";
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

        bool hasPoint = request.Valence is not null || request.Arousal is not null;
        if (request.Emotion is not null && hasPoint)
        {
            return "give either --emotion or --valence with --arousal, not both";
        }

        if (request.Emotion is not null)
        {
            if (!Emotions.TryParse(request.Emotion, out Emotion emotion))
            {
                return $"unknown --emotion \"{request.Emotion}\" (expected {string.Join(", ", Emotions.Names)})";
            }

            mood = EmotionCoordinates.Of(emotion);
            return null;
        }

        if (request.Valence is not float v || request.Arousal is not float a)
        {
            return hasPoint ? "--valence and --arousal go together" : "give --emotion NAME or --valence V --arousal A";
        }

        mood = new Mood(v, a);
        return mood.IsInRange
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"--valence and --arousal must be between -1 and 1, got {v}, {a}");
    }

    private sealed record Request(
        string? Emotion,
        float? Valence,
        float? Arousal,
        string Strategy,
        int Length,
        int? Seed,
        string? PlaylistsPath,
        string Format,
        string? SavePath);
}
