using InMood.Vision.Imaging;

namespace InMood.Training.Data;

/// <summary>
/// Loads FER2013 from an image folder: one subfolder per class, named by class (angry, disgust, fear, happy,
/// sad, surprise, neutral, any letter case) or by label digit 0-6, holding .jpg, .jpeg, .png, .bmp, .gif or
/// .webp files. Other files and folders starting with '.' are ignored.
/// </summary>
/// <remarks>
/// Images are decoded to grey in parallel; those that are not 48 x 48 are resized to exactly 48 x 48 (stretched,
/// no aspect ratio kept: FER crops are square). The order is by label, then by file name (ordinal), so a load is
/// reproducible.
/// </remarks>
public static class FerFolderLoader
{
    private static readonly HashSet<string> s_imageExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp",
    };

    /// <summary>Loads every image under <paramref name="path"/>; maxDegreeOfParallelism -1 uses every core.</summary>
    public static FerDataset Load(string path, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(path);
        List<(string File, byte Label)> files = ListFiles(path);
        var pixels = new byte[(long)files.Count * FerDataset.ImageSize];
        var labels = new byte[files.Count];
        DatasetException? failure = null;
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        Parallel.For(0, files.Count, options, (i, state) =>
        {
            (string file, byte label) = files[i];
            try
            {
                GrayImage image = ImageDecoder.DecodeGrayFile(file);
                if (image.Width != FerDataset.Side || image.Height != FerDataset.Side)
                {
                    image = ImageResizer.Resize(image, FerDataset.Side, FerDataset.Side);
                }

                Span<byte> target = pixels.AsSpan(i * FerDataset.ImageSize, FerDataset.ImageSize);
                for (int y = 0; y < FerDataset.Side; y++)
                {
                    image.GetRow(y).CopyTo(target.Slice(y * FerDataset.Side, FerDataset.Side));
                }

                labels[i] = label;
            }
            catch (ImageDecodeException exception)
            {
                Interlocked.CompareExchange(ref failure, new DatasetException($"cannot load {exception.Message} [{exception.Code}]", exception), null);
                state.Stop();
            }
        });

        if (failure is not null)
        {
            throw failure;
        }

        return new FerDataset(pixels, labels);
    }

    private static List<(string File, byte Label)> ListFiles(string path)
    {
        if (!Directory.Exists(path))
        {
            string what = File.Exists(path) ? "is a file, expected a folder of class subfolders" : "folder not found";
            throw new DatasetException($"{path}: {what}");
        }

        var files = new List<(string File, byte Label)>();
        var folderOfLabel = new Dictionary<byte, string>();
        foreach (string folder in Directory.GetDirectories(path).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(folder);
            if (name.StartsWith('.'))
            {
                continue;
            }

            if (!FerClasses.TryParseFolderName(name, out byte label))
            {
                throw new DatasetException(
                    $"{folder}: unknown class folder '{name}', expected one of {string.Join(", ", FerClasses.Names)} or 0-{FerClasses.Count - 1}");
            }

            if (!folderOfLabel.TryAdd(label, name))
            {
                throw new DatasetException(
                    $"{path}: the class folders '{folderOfLabel[label]}' and '{name}' are both {FerClasses.Names[label]}; keep one");
            }

            foreach (string file in Directory.GetFiles(folder))
            {
                if (s_imageExtensions.Contains(Path.GetExtension(file)) && !Path.GetFileName(file).StartsWith('.'))
                {
                    files.Add((file, label));
                }
            }
        }

        if (files.Count == 0)
        {
            throw new DatasetException(
                $"{path}: no images found, expected class subfolders ({string.Join(", ", FerClasses.Names)} or 0-{FerClasses.Count - 1}) holding .jpg, .png, .bmp, .gif or .webp files");
        }

        files.Sort((a, b) => a.Label != b.Label ? a.Label.CompareTo(b.Label) : string.CompareOrdinal(a.File, b.File));
        return files;
    }
}
