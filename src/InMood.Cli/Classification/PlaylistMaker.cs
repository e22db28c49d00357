using InMood.Music;

namespace InMood.Cli.Classification;

/// <summary>
/// Makes each image's playlist with the playlist command's recommender and options: the mood is the
/// area-weighted mean of the faces' probability-weighted moods (<see cref="MoodMapper.FromFaces"/>). With a seed
/// every image draws with that seed; without one each image draws its own.
/// </summary>
internal sealed class PlaylistMaker(Recommender recommender, PlaylistStrategy strategy, int length, int? seed)
{
    /// <summary>The playlist for faces of the given probabilities and areas. Shapes: probabilities [faces, 7], areas [faces].</summary>
    public Playlist For(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> areas) => For(MoodMapper.FromFaces(probabilities, areas));

    /// <summary>The playlist for a mood.</summary>
    public Playlist For(Mood mood) => recommender.Recommend(mood, strategy, length, seed ?? Random.Shared.Next());
}
