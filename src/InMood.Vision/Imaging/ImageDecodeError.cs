namespace InMood.Vision.Imaging;

/// <summary>Why an input could not be decoded; <see cref="ImageDecodeException.Code"/> gives the machine-readable spelling.</summary>
public enum ImageDecodeError
{
    /// <summary>"empty": zero bytes.</summary>
    Empty,

    /// <summary>"not_an_image": the bytes are not in any supported image format (JPEG, PNG, BMP, GIF, WebP).</summary>
    NotAnImage,

    /// <summary>"truncated": the file ends before the image data does.</summary>
    Truncated,

    /// <summary>"corrupt": the format was recognised but its data is invalid.</summary>
    Corrupt,

    /// <summary>"too_large": the declared dimensions exceed the caller's pixel limit, or the input has more bytes than that limit allows.</summary>
    TooLarge,

    /// <summary>"unreadable": the file could not be read (missing, a folder, no permission, I/O error).</summary>
    Unreadable,
}
