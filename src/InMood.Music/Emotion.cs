namespace InMood.Music;

/// <summary>The seven FER2013 emotion classes, in the classifier's output order.</summary>
public enum Emotion
{
    Angry = 0,
    Disgust = 1,
    Fear = 2,
    Happy = 3,
    Sad = 4,
    Surprise = 5,
    Neutral = 6,
}
