using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace InMood.Music;

/// <summary>Source-generated JSON metadata for the music documents (camelCase, indented).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(PlaylistDocument))]
public sealed partial class MusicJsonContext : JsonSerializerContext
{
    private static MusicJsonContext? s_readable;

    /// <summary>
    /// <see cref="Default"/> writing letters, <c>&amp;</c>, <c>'</c> and <c>+</c> as themselves ("Sly &amp; The Family
    /// Stone", not <c>\u0026</c>); quotes, backslashes and control characters are still escaped. The output is
    /// never embedded in HTML, which the default escaping guards against.
    /// </summary>
    /// <remarks>Made on first use: the generated <see cref="Default"/> is initialised in another file of this
    /// partial class, in no guaranteed order.</remarks>
    public static MusicJsonContext Readable => s_readable ??= new(new JsonSerializerOptions(Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
