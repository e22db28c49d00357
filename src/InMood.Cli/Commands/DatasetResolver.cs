using InMood.Training.Data;

namespace InMood.Cli.Commands;

/// <summary>
/// Opens the data a user points at: a FER2013 CSV (Usage Training -> train, PublicTest -> val), a folder holding
/// train/ and val/ class folders, or a plain folder of class folders.
/// </summary>
internal static class DatasetResolver
{
    /// <summary>The training split and the validation split (from <paramref name="valPath"/> when given).</summary>
    public static (FerDataset Train, FerDataset Val) LoadTrainAndVal(string path, string? valPath)
    {
        if (IsCsv(path))
        {
            return (FerCsvLoader.Load(path, FerUsage.Training), valPath is null ? FerCsvLoader.Load(path, FerUsage.PublicTest) : LoadEval(valPath));
        }

        if (!Directory.Exists(path))
        {
            throw new DatasetException(File.Exists(path)
                ? $"{path}: neither a .csv file nor a folder; expected fer2013.csv, a folder with train/ and val/, or a folder of class folders."
                : $"{path}: no such file or folder.");
        }

        string? train = Split(path, "train");
        string? val = valPath ?? Split(path, "val");
        if (val is null)
        {
            throw new DatasetException($"{path}: no val/ folder beside train/; pass --val with a validation folder or CSV.");
        }

        return (FerFolderLoader.Load(train ?? path), LoadEval(val));
    }

    /// <summary>For eval: the PublicTest rows of a CSV, the val/ split of a train/val folder, or the folder itself.</summary>
    public static FerDataset LoadEval(string path) => IsCsv(path)
        ? FerCsvLoader.Load(path, FerUsage.PublicTest)
        : FerFolderLoader.Load(Split(path, "val") ?? path);

    private static bool IsCsv(string path) => File.Exists(path) && path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);

    private static string? Split(string path, string split)
    {
        string candidate = Path.Combine(path, split);
        return Directory.Exists(candidate) ? candidate : null;
    }
}
