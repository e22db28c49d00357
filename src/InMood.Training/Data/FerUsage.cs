namespace InMood.Training.Data;

/// <summary>The Usage column of the Kaggle fer2013.csv: which official split a row belongs to.</summary>
public enum FerUsage
{
    Training,
    PublicTest,
    PrivateTest,
}
