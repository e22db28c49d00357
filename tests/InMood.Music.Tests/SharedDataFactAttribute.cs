namespace InMood.Music.Tests;

/// <summary>A fact that is skipped, with a message saying why, when ../shared/data/music/deezer-mood is absent.</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute()
    {
        if (!SharedData.HasDeezerMood)
        {
            Skip = $"needs the Deezer mood CSVs in {SharedData.DeezerMoodFolder} (../shared next to the repository), which is absent";
        }
    }
}
