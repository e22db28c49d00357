using System.Globalization;
using InMood.Cli.Classification;
using InMood.Music;

namespace InMood.Cli.Output;

/// <summary>
/// The terminal format: per image a line with its name, size, face count and emotion, one indented line per face
/// (box x,y widthxheight in source pixels, detector score, emotion and confidence, the runner-up emotion), the
/// playlist link with the mood it was made for, and its first <see cref="ShownTracks"/> tracks. Streamed, so a long
/// folder shows results as they come.
/// </summary>
internal sealed class ClassifyTableWriter(TextWriter output) : ClassifyWriter(output)
{
    /// <summary>Tracks listed per image; the rest are in the JSON formats and --save-playlist.</summary>
    private const int ShownTracks = 3;

    public override void Write(ImageResult result)
    {
        var text = CultureInfo.InvariantCulture;
        if (result.Error is ClassifyError error)
        {
            Output.Write(string.Create(text, $"{result.Input.Name}  error {error.Code}: {error.Message}\n"));
            Output.Flush();
            return;
        }

        string faces = result.Faces.Count == 1 ? "1 face" : string.Create(text, $"{result.Faces.Count} faces");
        string emotion = result.Emotion is Emotion e ? Emotions.Name(e) : "no face";
        Output.Write(string.Create(text, $"{result.Input.Name}  {result.Width}x{result.Height}  {faces}  {emotion}\n"));
        for (int i = 0; i < result.Faces.Count; i++)
        {
            FaceResult face = result.Faces[i];
            (int x, int y, int width, int height) = ClassifyJsonWriter.Pixels(face.Box);
            int second = SecondBest(face.Probabilities, (int)face.Emotion);
            string score = face.Score is float s ? s.ToString("0.00", text) : "crop";
            Output.Write(string.Create(
                text,
                $"  face {i + 1}  box {x},{y} {width}x{height}  score {score}  {Emotions.Name(face.Emotion),-8} {face.Confidence,6:P1}  (then {Emotions.Names[second]} {face.Probabilities[second]:P1})\n"));
        }

        if (result.Playlist is Playlist playlist)
        {
            WritePlaylist(playlist, text);
        }

        Output.Flush();
    }

    private void WritePlaylist(Playlist playlist, CultureInfo text)
    {
        Output.Write(string.Create(text, $"  playlist {playlist.Url}  (valence {playlist.Mood.Valence:+0.00;-0.00}, arousal {playlist.Mood.Arousal:+0.00;-0.00})\n"));
        int shown = Math.Min(ShownTracks, playlist.Entries.Count);
        for (int i = 0; i < shown; i++)
        {
            Track track = playlist.Entries[i].Track;
            Output.Write(string.Create(text, $"    {i + 1}. {track.Artist} - {track.Title}\n"));
        }

        if (playlist.Entries.Count > shown)
        {
            Output.Write(string.Create(text, $"    ... {playlist.Entries.Count - shown} more with --format json or --save-playlist FILE\n"));
        }
    }

    private static int SecondBest(float[] probabilities, int best)
    {
        int second = best == 0 ? 1 : 0;
        for (int i = 0; i < probabilities.Length; i++)
        {
            if (i != best && probabilities[i] > probabilities[second])
            {
                second = i;
            }
        }

        return second;
    }
}
