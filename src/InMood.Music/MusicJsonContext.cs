using System.Text.Json.Serialization;

namespace InMood.Music;

/// <summary>Source-generated JSON metadata for the music documents (camelCase, indented).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(PlaylistDocument))]
public sealed partial class MusicJsonContext : JsonSerializerContext;
