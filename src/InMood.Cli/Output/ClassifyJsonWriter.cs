using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using InMood.Cli.Classification;
using InMood.Music;
using InMood.Vision.Detection;

namespace InMood.Cli.Output;

/// <summary>
/// The JSON formats of classify (docs/output.md, docs/output.schema.json): jsonl writes one compact object per
/// line; json writes one array, one object per line between the brackets. Written with Utf8JsonWriter and the
/// music library's source-generated playlist metadata, so no reflection is needed (Native AOT).
/// Probabilities, confidences and scores are rounded to 4 decimals; boxes to whole pixels.
/// </summary>
internal sealed class ClassifyJsonWriter(TextWriter output, bool lines) : ClassifyWriter(output)
{
    /// <summary>
    /// Non-ASCII letters and characters such as &amp; and ' are written as themselves, not as \uXXXX escapes: the
    /// output is read by scripts and people, never embedded in HTML, which is what the default escaping guards.
    /// </summary>
    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private bool _first = true;

    public override void Begin()
    {
        if (!lines)
        {
            Output.Write('[');
        }
    }

    public override void Write(ImageResult result)
    {
        _buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(_buffer, s_options))
        {
            WriteImage(json, result);
        }

        if (!lines)
        {
            Output.Write(_first ? "\n" : ",\n");
        }

        Output.Write(Encoding.UTF8.GetString(_buffer.WrittenSpan));
        if (lines)
        {
            Output.Write('\n');
        }

        _first = false;
        Output.Flush();
    }

    public override void End()
    {
        if (!lines)
        {
            Output.Write("\n]\n");
        }

        base.End();
    }

    /// <summary>One image object: file, width, height, faces, emotion, playlist, error.</summary>
    public static void WriteImage(Utf8JsonWriter json, ImageResult result)
    {
        json.WriteStartObject();
        json.WriteString("file", result.Input.Name);
        if (result.Error is null)
        {
            json.WriteNumber("width", result.Width);
            json.WriteNumber("height", result.Height);
        }
        else
        {
            json.WriteNull("width");
            json.WriteNull("height");
        }

        json.WriteStartArray("faces");
        foreach (FaceResult face in result.Faces)
        {
            WriteFace(json, face);
        }

        json.WriteEndArray();
        if (result.Emotion is Emotion emotion)
        {
            json.WriteString("emotion", Emotions.Name(emotion));
        }
        else
        {
            json.WriteNull("emotion");
        }

        json.WritePropertyName("playlist");
        if (result.Playlist is Playlist playlist)
        {
            JsonSerializer.Serialize(json, PlaylistDocument.From(playlist), MusicJsonContext.Default.PlaylistDocument);
        }
        else
        {
            json.WriteNullValue();
        }

        json.WritePropertyName("error");
        if (result.Error is ClassifyError error)
        {
            json.WriteStartObject();
            json.WriteString("code", error.Code);
            json.WriteString("message", error.Message);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNullValue();
        }

        json.WriteEndObject();
    }

    private static void WriteFace(Utf8JsonWriter json, FaceResult face)
    {
        (int x, int y, int width, int height) = Pixels(face.Box);
        json.WriteStartObject();
        json.WriteStartObject("box");
        json.WriteNumber("x", x);
        json.WriteNumber("y", y);
        json.WriteNumber("width", width);
        json.WriteNumber("height", height);
        json.WriteEndObject();
        if (face.Score is float score)
        {
            json.WriteNumber("score", Round(score));
        }
        else
        {
            json.WriteNull("score");
        }

        json.WriteString("emotion", Emotions.Name(face.Emotion));
        json.WriteNumber("confidence", Round(face.Confidence));
        json.WriteStartObject("probabilities");
        for (int i = 0; i < Emotions.Count; i++)
        {
            json.WriteNumber(Emotions.Names[i], Round(face.Probabilities[i]));
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>A box as whole source pixels: edges rounded, width and height the differences of the rounded edges.</summary>
    public static (int X, int Y, int Width, int Height) Pixels(FaceBox box)
    {
        int x = (int)MathF.Round(box.Left), y = (int)MathF.Round(box.Top);
        return (x, y, (int)MathF.Round(box.Right) - x, (int)MathF.Round(box.Bottom) - y);
    }

    public static double Round(float value) => Math.Round((double)value, 4);
}
