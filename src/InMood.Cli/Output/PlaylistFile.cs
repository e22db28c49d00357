using InMood.Engine.Formats;
using InMood.Music;

namespace InMood.Cli.Output;

/// <summary>Saves a playlist (--save-playlist) atomically in the format its file name's extension names.</summary>
internal static class PlaylistFile
{
    /// <exception cref="IOException">The file cannot be written; the message names it.</exception>
    public static void Save(Playlist playlist, string path) =>
        AtomicFile.Write(path, stream => PlaylistFileWriter.Write(playlist, PlaylistFileWriter.FormatFromPath(path), stream));
}
