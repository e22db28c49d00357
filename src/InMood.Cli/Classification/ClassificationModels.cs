namespace InMood.Cli.Classification;

/// <summary>What the classifying end of <see cref="ClassificationPipeline"/> needs: the emotion network and the playlist maker.</summary>
internal sealed record ClassificationModels(EmotionClassifier Classifier, PlaylistMaker Playlists);
