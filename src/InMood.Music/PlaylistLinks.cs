using System.Text.Json;

namespace InMood.Music;

/// <summary>
/// The headline playlist link for a mood. By default a Spotify search for playlists matching the
/// mood; users can map each emotion to their own playlist URLs (any service) in a JSON file:
/// <code>
/// { "happy": "https://open.spotify.com/playlist/...",
///   "sad": ["https://music.youtube.com/playlist?list=...", "https://music.apple.com/..."] }
/// </code>
/// The link is chosen for the emotion nearest the playlist's final mood; with several URLs for
/// that emotion the playlist's seed picks one. Emotions the file leaves out use the default.
/// </summary>
public sealed class PlaylistLinks
{
    private static readonly JsonDocumentOptions s_jsonOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    private readonly string[][] _urls;

    private PlaylistLinks(string[][] urls)
    {
        _urls = urls;
    }

    /// <summary>No user links: every headline is a Spotify search.</summary>
    public static PlaylistLinks None { get; } = new(new string[Emotions.Count][]);

    /// <summary>
    /// The default config file: $XDG_CONFIG_HOME/inmood/playlists.json, else
    /// ~/.config/inmood/playlists.json (on Windows %APPDATA%\inmood\playlists.json).
    /// </summary>
    public static string DefaultPath()
    {
        string? xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        string root = !string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg)
            ? xdg
            : OperatingSystem.IsWindows()
                ? Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData)
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return Path.Combine(root, "inmood", "playlists.json");
    }

    /// <summary>Loads the file at <see cref="DefaultPath"/> if it exists, else <see cref="None"/>.</summary>
    /// <exception cref="InvalidDataException">The file exists but is invalid.</exception>
    public static PlaylistLinks LoadDefault()
    {
        string path = DefaultPath();
        return File.Exists(path) ? Load(path) : None;
    }

    /// <summary>Loads a config file.</summary>
    /// <exception cref="InvalidDataException">Missing, unreadable or invalid file; the message is one line naming the file and the problem.</exception>
    public static PlaylistLinks Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            throw new InvalidDataException("cannot read a playlist config with an empty name");
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string why = e switch
            {
                FileNotFoundException or DirectoryNotFoundException => Directory.Exists(path) ? "a folder, not a file" : "no such file",
                UnauthorizedAccessException => Directory.Exists(path) ? "a folder, not a file" : "permission denied",
                _ => OneLine(e.Message),
            };
            throw new InvalidDataException($"{path}: cannot read playlist config ({why})", e);
        }

        return Parse(text, path);
    }

    /// <summary>Parses config text; <paramref name="sourceName"/> names it in error messages.</summary>
    /// <exception cref="InvalidDataException">Invalid config; the message is one line naming the source and the problem.</exception>
    public static PlaylistLinks Parse(string json, string sourceName)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, s_jsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{sourceName}: line {(e.LineNumber ?? 0) + 1}: invalid JSON", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Error(sourceName, $"expected an object mapping emotion names to playlist URLs, got {Kind(document.RootElement)}");
            }

            var urls = new string[Emotions.Count][];
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (!Emotions.TryParse(property.Name, out Emotion emotion))
                {
                    throw Error(sourceName, $"\"{property.Name}\" is not an emotion (expected {string.Join(", ", Emotions.Names)})");
                }

                if (urls[(int)emotion] is not null)
                {
                    throw Error(sourceName, $"\"{Emotions.Name(emotion)}\" appears twice");
                }

                urls[(int)emotion] = ReadUrls(property.Value, Emotions.Name(emotion), sourceName);
            }

            return new PlaylistLinks(urls);
        }
    }

    /// <summary>The user's URLs for an emotion (empty when the config has none).</summary>
    public IReadOnlyList<string> UrlsFor(Emotion emotion) => _urls[(int)emotion] ?? [];

    /// <summary>The headline link for a playlist that ends at <paramref name="mood"/>.</summary>
    public string HeadlineUrl(Mood mood, int seed)
    {
        string[]? urls = _urls[(int)EmotionCoordinates.Nearest(mood)];
        return urls is { Length: > 0 } ? urls[(uint)seed % (uint)urls.Length] : SpotifyMoodSearchUrl(mood);
    }

    /// <summary>
    /// A Spotify search for playlists matching the mood, in words: valence as sad / mellow / happy,
    /// arousal as calm / (nothing) / energetic, thresholds at +-0.2.
    /// </summary>
    public static string SpotifyMoodSearchUrl(Mood mood)
    {
        string valence = mood.Valence < -0.2f ? "sad" : mood.Valence > 0.2f ? "happy" : "mellow";
        string arousal = mood.Arousal < -0.2f ? " calm" : mood.Arousal > 0.2f ? " energetic" : string.Empty;
        return "https://open.spotify.com/search/" + Uri.EscapeDataString(valence + arousal) + "/playlists";
    }

    private static string[] ReadUrls(JsonElement value, string emotion, string sourceName)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return [ReadUrl(value, emotion, sourceName)];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Error(sourceName, $"{emotion}: expected a URL string or an array of them, got {Kind(value)}");
        }

        var urls = new List<string>();
        foreach (JsonElement item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw Error(sourceName, $"{emotion}: expected URL strings in the array, got {Kind(item)}");
            }

            urls.Add(ReadUrl(item, emotion, sourceName));
        }

        if (urls.Count == 0)
        {
            throw Error(sourceName, $"{emotion}: empty array (leave the emotion out to use the default link)");
        }

        return [.. urls];
    }

    private static string ReadUrl(JsonElement value, string emotion, string sourceName)
    {
        string text = value.GetString()!.Trim();
        if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw Error(sourceName, $"{emotion}: \"{OneLine(text)}\" is not an absolute http(s) URL");
        }

        return text;
    }

    private static string Kind(JsonElement element) => element.ValueKind.ToString().ToLowerInvariant();

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static InvalidDataException Error(string sourceName, string problem) => new($"{sourceName}: {problem}");
}
