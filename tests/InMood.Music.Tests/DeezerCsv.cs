using System.Globalization;

namespace InMood.Music.Tests;

/// <summary>
/// Builds the shipped catalogue from the Deezer Mood Detection Dataset CSVs
/// (columns dzr_sng_id, MSD_sng_id, MSD_track_id, valence, arousal, artist_name, track_name).
/// Tracks keep file order (train, validation, test); a repeated Deezer id or artist/title pair
/// (case-insensitive) keeps its first occurrence. The dataset's z-scored valence and arousal are
/// replaced by their rank on each axis, mapped linearly to [-1, 1] (ties share their mean rank),
/// so the median track sits at 0 and the emotion coordinates' [-1, 1] scale lines up with the
/// catalogue's spread. The dataset wrote each comma in a name as an underscore ("Take Me Home_ Country Roads",
/// "Earth_ Wind &amp; Fire"); an underscore followed by a space becomes a comma again.
/// </summary>
internal static class DeezerCsv
{
    public static readonly string[] FileNames = ["train.csv", "validation.csv", "test.csv"];

    private static readonly string[] s_header = ["dzr_sng_id", "MSD_sng_id", "MSD_track_id", "valence", "arousal", "artist_name", "track_name"];

    public static Catalogue Build(string folder)
    {
        var rows = new List<(long Id, string Artist, string Title, double Valence, double Arousal)>();
        var ids = new HashSet<long>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string name in FileNames)
        {
            string path = Path.Combine(folder, name);
            string[] lines = File.ReadAllLines(path);
            if (!ParseLine(lines[0]).SequenceEqual(s_header))
            {
                throw new InvalidDataException($"{path}: unexpected header \"{lines[0]}\"");
            }

            for (int i = 1; i < lines.Length; i++)
            {
                string[] fields = ParseLine(lines[i]);
                if (fields.Length != s_header.Length)
                {
                    throw new InvalidDataException($"{path}: line {i + 1}: expected {s_header.Length} fields, got {fields.Length}");
                }

                long id = long.Parse(fields[0], CultureInfo.InvariantCulture);
                string artist = RestoreCommas(fields[5].Trim());
                string title = RestoreCommas(fields[6].Trim());
                if (ids.Add(id) && names.Add(artist + "\n" + title))
                {
                    rows.Add((id, artist, title, double.Parse(fields[3], CultureInfo.InvariantCulture), double.Parse(fields[4], CultureInfo.InvariantCulture)));
                }
            }
        }

        float[] valence = Ranks([.. rows.Select(row => row.Valence)]);
        float[] arousal = Ranks([.. rows.Select(row => row.Arousal)]);
        return new Catalogue([.. rows.Select((row, i) => new Track(row.Artist, row.Title, row.Id, valence[i], arousal[i]))]);
    }

    /// <summary>A name with each "_ " (the dataset's stand-in for ", ") written as ", ".</summary>
    public static string RestoreCommas(string name) => name.Replace("_ ", ", ", StringComparison.Ordinal);

    /// <summary>Each value's mean rank among all values (ties share it), mapped to [-1, 1].</summary>
    public static float[] Ranks(double[] values)
    {
        int n = values.Length;
        int[] order = [.. Enumerable.Range(0, n).OrderBy(i => values[i])];
        var ranks = new float[n];
        for (int start = 0; start < n;)
        {
            int end = start;
            while (end + 1 < n && values[order[end + 1]] == values[order[start]])
            {
                end++;
            }

            double meanRank = (start + end) / 2.0;
            float mapped = n == 1 ? 0f : (float)((2.0 * meanRank / (n - 1)) - 1.0);
            for (int k = start; k <= end; k++)
            {
                ranks[order[k]] = mapped;
            }

            start = end + 1;
        }

        return ranks;
    }

    /// <summary>Splits one CSV line (RFC 4180 quoting, "" inside quotes is a quote).</summary>
    public static string[] ParseLine(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return [.. fields];
    }
}
