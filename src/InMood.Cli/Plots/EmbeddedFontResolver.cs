using ScottPlot;
using SkiaSharp;

namespace InMood.Cli.Plots;

/// <summary>
/// Gives ScottPlot the DejaVu Sans face embedded in this assembly for every font it asks for.
/// NOTE: with SkiaSharp's NoDependencies native assets no system font is found and plot text silently
/// disappears, so plots must not rely on installed fonts.
/// </summary>
internal sealed class EmbeddedFontResolver : IFontResolver
{
    private const string Resource = "InMood.Cli.Fonts.DejaVuSans.ttf";
    private static readonly Lock s_lock = new();
    private static bool s_installed;
    private readonly SKData _data;

    private EmbeddedFontResolver(SKData data)
    {
        _data = data;
    }

    /// <summary>Registers the resolver once per process, ahead of ScottPlot's own.</summary>
    public static void Install()
    {
        lock (s_lock)
        {
            if (s_installed)
            {
                return;
            }

            using Stream stream = typeof(EmbeddedFontResolver).Assembly.GetManifestResourceStream(Resource)
                ?? throw new InvalidOperationException($"Embedded font {Resource} is missing from the build.");
            Fonts.FontResolvers.Insert(0, new EmbeddedFontResolver(SKData.Create(stream)));
            Fonts.Default = "DejaVu Sans";
            s_installed = true;
        }
    }

    public SKTypeface CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) => SKTypeface.FromData(_data);

    public SKTypeface CreateTypeface(string fontName, bool bold, bool italic) => SKTypeface.FromData(_data);
}
