using System.Collections;

namespace InMood.Music;

/// <summary>A catalogue's tracks as a read-only list, each <see cref="Track"/> made on its first read and kept.</summary>
internal sealed class CatalogueTracks(Catalogue catalogue) : IReadOnlyList<Track>
{
    private readonly Track?[] _made = new Track?[catalogue.Count];

    public int Count => _made.Length;

    public Track this[int index] => _made[index] ??= catalogue.TrackAt(index);

    public IEnumerator<Track> GetEnumerator()
    {
        for (int i = 0; i < _made.Length; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
