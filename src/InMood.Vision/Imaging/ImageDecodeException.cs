namespace InMood.Vision.Imaging;

/// <summary>An input that is not a decodable image, with a machine-readable <see cref="Code"/> and a one-line message.</summary>
public sealed class ImageDecodeException : Exception
{
    public ImageDecodeException(ImageDecodeError error, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
    }

    public ImageDecodeError Error { get; }

    /// <summary>"empty", "not_an_image", "truncated", "corrupt", "too_large" or "unreadable".</summary>
    public string Code => CodeOf(Error);

    public static string CodeOf(ImageDecodeError error) => error switch
    {
        ImageDecodeError.Empty => "empty",
        ImageDecodeError.NotAnImage => "not_an_image",
        ImageDecodeError.Truncated => "truncated",
        ImageDecodeError.Corrupt => "corrupt",
        ImageDecodeError.TooLarge => "too_large",
        ImageDecodeError.Unreadable => "unreadable",
        _ => throw new ArgumentOutOfRangeException(nameof(error), error, "unknown decode error"),
    };
}
