namespace InMood.Onnx.Tests;

/// <summary>Locates the shared reference models: the repository's parent folder + "shared/models".</summary>
internal static class TestPaths
{
    public static string ModelsFolder { get; } = FindModelsFolder();

    public static string BlazeFaceBack => Path.Combine(ModelsFolder, "blazeface", "face_detection_back_256x256_barracuda.onnx");

    public static string BlazeFaceFront => Path.Combine(ModelsFolder, "blazeface", "face_detection_front_128x128_barracuda.onnx");

    public static string BigXception => Path.Combine(ModelsFolder, "fer-big-xception", "emotion_big_xception_fer2013.onnx");

    public static bool HasModels => File.Exists(BlazeFaceBack) && File.Exists(BlazeFaceFront) && File.Exists(BigXception);

    private static string FindModelsFolder()
    {
        DirectoryInfo? folder = new(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "InMood.Cli.sln")))
        {
            folder = folder.Parent;
        }

        string repositoryParent = folder?.Parent?.FullName ?? AppContext.BaseDirectory;
        return Path.Combine(repositoryParent, "shared", "models");
    }
}
