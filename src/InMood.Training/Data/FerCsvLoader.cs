using System.Globalization;

namespace InMood.Training.Data;

/// <summary>
/// Loads the Kaggle fer2013.csv: header "emotion,pixels,Usage" (or "emotion,pixels" without the split column; the
/// columns in any order and case, as in the ICML file's "emotion, Usage, pixels"), then one row per image: label
/// 0-6, 2304 space-separated grey values 0-255 (48 x 48, row by row), Usage Training, PublicTest or PrivateTest.
/// Fields may be quoted ("..."); blank lines are skipped. Errors name the file and the line.
/// </summary>
public static class FerCsvLoader
{
    /// <summary>Loads the rows whose Usage is <paramref name="usage"/>, or every row when it is null.</summary>
    public static FerDataset Load(string path, FerUsage? usage = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new DatasetException($"{path}: file not found");
        }

        using var reader = new StreamReader(path);
        string? header = reader.ReadLine();
        Columns columns = ReadHeader(path, header, usage);
        var pixels = new byte[64 * FerDataset.ImageSize];
        var labels = new List<byte>();
        int lineNumber = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            string where = $"{path}:{lineNumber}";
            string[] fields = line.Split(',');
            if (fields.Length != columns.Count)
            {
                throw new DatasetException($"{where}: expected {columns.Count} comma-separated fields, found {fields.Length}");
            }

            if (usage is FerUsage wanted && ParseUsage(where, Unquoted(fields[columns.Usage])) != wanted)
            {
                continue;
            }

            string labelText = Unquoted(fields[columns.Emotion]);
            if (!int.TryParse(labelText, NumberStyles.None, CultureInfo.InvariantCulture, out int label) || label >= FerClasses.Count)
            {
                throw new DatasetException($"{where}: emotion label '{labelText}' is not an integer in 0-{FerClasses.Count - 1}");
            }

            if ((labels.Count + 1) * FerDataset.ImageSize > pixels.Length)
            {
                Array.Resize(ref pixels, pixels.Length * 2);
            }

            ParsePixels(where, Unquoted(fields[columns.Pixels]), pixels.AsSpan(labels.Count * FerDataset.ImageSize, FerDataset.ImageSize));
            labels.Add((byte)label);
        }

        if (labels.Count == 0)
        {
            string which = usage is null ? "" : $" with Usage {usage}";
            throw new DatasetException($"{path}: no rows{which}");
        }

        Array.Resize(ref pixels, labels.Count * FerDataset.ImageSize);
        return new FerDataset(pixels, [.. labels]);
    }

    /// <summary>Where each column is: Usage is -1 when the file has none; <see cref="Count"/> fields per row.</summary>
    private readonly record struct Columns(int Emotion, int Pixels, int Usage, int Count);

    /// <summary>The columns the header names (emotion, pixels and optionally Usage, any order and case); throws naming line 1 otherwise.</summary>
    private static Columns ReadHeader(string path, string? header, FerUsage? usage)
    {
        string[] names = (header ?? string.Empty).Split(',').Select(n => Unquoted(n).ToLowerInvariant()).ToArray();
        int emotion = Array.IndexOf(names, "emotion"), pixels = Array.IndexOf(names, "pixels"), usageColumn = Array.IndexOf(names, "usage");
        if (emotion < 0 || pixels < 0 || names.Length != (usageColumn < 0 ? 2 : 3))
        {
            string found = header is null ? "an empty file" : $"'{Shorten(header)}'";
            throw new DatasetException($"{path}:1: expected the header 'emotion,pixels,Usage' (columns in any order), found {found}");
        }

        if (usageColumn < 0 && usage is not null)
        {
            throw new DatasetException($"{path}:1: cannot select Usage {usage}, the header has no Usage column");
        }

        return new Columns(emotion, pixels, usageColumn, names.Length);
    }

    /// <summary>A field without the spaces around it and without its enclosing double quotes, if it has them.</summary>
    private static string Unquoted(string field)
    {
        string trimmed = field.Trim();
        return trimmed.Length >= 2 && trimmed[0] == '"' && trimmed[^1] == '"' ? trimmed[1..^1].Trim() : trimmed;
    }

    private static FerUsage ParseUsage(string where, string text)
    {
        return text.ToLowerInvariant() switch
        {
            "training" => FerUsage.Training,
            "publictest" => FerUsage.PublicTest,
            "privatetest" => FerUsage.PrivateTest,
            _ => throw new DatasetException($"{where}: unknown Usage '{Shorten(text)}', expected Training, PublicTest or PrivateTest"),
        };
    }

    /// <summary>Parses exactly 2304 values 0-255 separated by spaces. Shape: destination [48 * 48].</summary>
    private static void ParsePixels(string where, string text, Span<byte> destination)
    {
        int count = 0;
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] == ' ')
            {
                i++;
                continue;
            }

            int value = 0;
            int start = i;
            while (i < text.Length && text[i] != ' ')
            {
                int digit = text[i] - '0';
                if (digit is < 0 or > 9 || value > 255)
                {
                    throw new DatasetException($"{where}: pixel {count + 1} '{Shorten(ReadToken(text, start))}' is not an integer in 0-255");
                }

                value = value * 10 + digit;
                i++;
            }

            if (value > 255)
            {
                throw new DatasetException($"{where}: pixel {count + 1} is {value}, expected 0-255");
            }

            if (count == FerDataset.ImageSize)
            {
                throw new DatasetException($"{where}: more than {FerDataset.ImageSize} pixel values, expected exactly {FerDataset.ImageSize} (48 x 48)");
            }

            destination[count++] = (byte)value;
        }

        if (count != FerDataset.ImageSize)
        {
            throw new DatasetException($"{where}: found {count} pixel values, expected {FerDataset.ImageSize} (48 x 48)");
        }
    }

    private static string ReadToken(string text, int start)
    {
        int end = text.IndexOf(' ', start);
        return end < 0 ? text[start..] : text[start..end];
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
