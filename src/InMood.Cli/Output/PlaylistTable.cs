using System.Globalization;
using InMood.Music;
using Spectre.Console;

namespace InMood.Cli.Output;

/// <summary>Renders a playlist as a table for people, with the headline link and seed as caption.</summary>
internal static class PlaylistTable
{
    public static void Write(Playlist playlist, TextWriter output)
    {
        IAnsiConsole console = TableConsole.Create(output);

        var table = new Table()
            .Title(Markup.Escape(string.Create(
                CultureInfo.InvariantCulture,
                $"{PlaylistStrategyNames.Name(playlist.Strategy)} playlist for valence {playlist.Mood.Valence:0.00}, arousal {playlist.Mood.Arousal:0.00}")))
            .Caption(Markup.Escape($"{playlist.Url}  (seed {playlist.Seed})"))
            .AddColumn(new TableColumn("#").RightAligned())
            .AddColumn("Artist")
            .AddColumn("Title")
            .AddColumn(new TableColumn("Valence").RightAligned())
            .AddColumn(new TableColumn("Arousal").RightAligned())
            .AddColumn("Deezer");

        for (int i = 0; i < playlist.Entries.Count; i++)
        {
            Track track = playlist.Entries[i].Track;
            table.AddRow(
                (i + 1).ToString(CultureInfo.InvariantCulture),
                Markup.Escape(track.Artist),
                Markup.Escape(track.Title),
                track.Valence.ToString("0.00", CultureInfo.InvariantCulture),
                track.Arousal.ToString("0.00", CultureInfo.InvariantCulture),
                Markup.Escape(track.DeezerUrl));
        }

        console.Write(table);
    }
}
