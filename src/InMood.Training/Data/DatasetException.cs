namespace InMood.Training.Data;

/// <summary>A dataset that cannot be loaded; the message names the file (and line, for CSV) and what was expected.</summary>
public sealed class DatasetException : Exception
{
    public DatasetException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
