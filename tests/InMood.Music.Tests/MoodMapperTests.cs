namespace InMood.Music.Tests;

public sealed class MoodMapperTests
{
    [Theory]
    [InlineData(Emotion.Angry)]
    [InlineData(Emotion.Happy)]
    [InlineData(Emotion.Sad)]
    [InlineData(Emotion.Neutral)]
    public void FromProbabilities_PureEmotion_LandsAtItsCoordinates(Emotion emotion)
    {
        // Arrange
        var probabilities = new float[Emotions.Count];
        probabilities[(int)emotion] = 1f;

        // Act
        Mood mood = MoodMapper.FromProbabilities(probabilities);

        // Assert
        Assert.Equal(EmotionCoordinates.Of(emotion), mood);
    }

    [Fact]
    public void FromProbabilities_HappyNeutralMix_LandsBetweenProportionally()
    {
        // Arrange
        var probabilities = new float[Emotions.Count];
        probabilities[(int)Emotion.Happy] = 0.55f;
        probabilities[(int)Emotion.Neutral] = 0.45f;
        Mood happy = EmotionCoordinates.Of(Emotion.Happy);
        Mood neutral = EmotionCoordinates.Of(Emotion.Neutral);

        // Act
        Mood mood = MoodMapper.FromProbabilities(probabilities);

        // Assert
        Mood expected = neutral.Lerp(happy, 0.55f);
        Assert.Equal(expected.Valence, mood.Valence, 5);
        Assert.Equal(expected.Arousal, mood.Arousal, 5);
        Assert.True(mood.Valence < happy.Valence && mood.Valence > neutral.Valence);
    }

    [Fact]
    public void FromFaces_TwoFaces_WeightsByArea()
    {
        // Arrange
        var probabilities = new float[2 * Emotions.Count];
        probabilities[(int)Emotion.Happy] = 1f;
        probabilities[Emotions.Count + (int)Emotion.Sad] = 1f;
        float[] areas = [300f, 100f];

        // Act
        Mood mood = MoodMapper.FromFaces(probabilities, areas);

        // Assert
        Mood expected = EmotionCoordinates.Of(Emotion.Sad).Lerp(EmotionCoordinates.Of(Emotion.Happy), 0.75f);
        Assert.Equal(expected.Valence, mood.Valence, 5);
        Assert.Equal(expected.Arousal, mood.Arousal, 5);
    }

    [Fact]
    public void FromProbabilities_WrongLength_ThrowsNamingTheShape()
    {
        // Arrange
        float[] probabilities = [0.5f, 0.5f];

        // Act
        var exception = Assert.Throws<ArgumentException>(() => MoodMapper.FromProbabilities(probabilities));

        // Assert
        Assert.Contains("expected 7 values", exception.Message);
    }

    [Fact]
    public void FromFaces_ZeroArea_Throws()
    {
        // Arrange
        var probabilities = new float[Emotions.Count];
        probabilities[0] = 1f;

        // Act
        var exception = Assert.Throws<ArgumentException>(() => MoodMapper.FromFaces(probabilities, [0f]));

        // Assert
        Assert.Contains("areas[0]", exception.Message);
    }
}
