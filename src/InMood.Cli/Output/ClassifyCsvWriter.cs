using System.Globalization;
using System.Text;
using InMood.Cli.Classification;
using InMood.Music;

namespace InMood.Cli.Output;

/// <summary>
/// CSV (RFC 4180, comma-separated, header row, fields quoted when they hold a comma, quote or line break), one
/// row per face; an image without faces or with an error still gets one row, its face columns empty.
/// Columns: file, face (1-based, left to right), x, y, width, height, score, emotion, confidence, the seven
/// probabilities, image_emotion, playlist_url, error_code, error_message.
/// </summary>
internal sealed class ClassifyCsvWriter(TextWriter output) : ClassifyWriter(output)
{
    private readonly StringBuilder _row = new();

    public override void Begin()
    {
        Output.Write($"file,face,x,y,width,height,score,emotion,confidence,{string.Join(',', Emotions.Names)},image_emotion,playlist_url,error_code,error_message\n");
    }

    public override void Write(ImageResult result)
    {
        string image = result.Emotion is Emotion e ? Emotions.Name(e) : string.Empty;
        string url = result.Playlist?.Url ?? string.Empty;
        if (result.Faces.Count == 0)
        {
            _row.Clear();
            Field(result.Input.Name).Append(",,,,,,,,").Append(',', Emotions.Count).Append(',');
            Field(image).Append(',');
            Field(url).Append(',');
            Field(result.Error?.Code ?? string.Empty).Append(',');
            Field(result.Error?.Message ?? string.Empty).Append('\n');
            Output.Write(_row);
        }

        for (int i = 0; i < result.Faces.Count; i++)
        {
            FaceResult face = result.Faces[i];
            (int x, int y, int width, int height) = ClassifyJsonWriter.Pixels(face.Box);
            _row.Clear();
            Field(result.Input.Name);
            _row.Append(CultureInfo.InvariantCulture, $",{i + 1},{x},{y},{width},{height},");
            if (face.Score is float score)
            {
                _row.Append(CultureInfo.InvariantCulture, $"{ClassifyJsonWriter.Round(score)}");
            }

            _row.Append(',').Append(Emotions.Name(face.Emotion)).Append(CultureInfo.InvariantCulture, $",{ClassifyJsonWriter.Round(face.Confidence)}");
            foreach (float p in face.Probabilities)
            {
                _row.Append(CultureInfo.InvariantCulture, $",{ClassifyJsonWriter.Round(p)}");
            }

            _row.Append(',');
            Field(image).Append(',');
            Field(url).Append(",,\n");
            Output.Write(_row);
        }

        Output.Flush();
    }

    private StringBuilder Field(string text)
    {
        if (text.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            return _row.Append(text);
        }

        return _row.Append('"').Append(text.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
