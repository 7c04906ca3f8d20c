using System.Text.Json;
using System.Text.Json.Serialization;

namespace Finsam.Pipeline.Versions;

/// <summary>{dataset}/{name}.json: names one committed version ("latest", or a pin the controller keeps).</summary>
public sealed record VersionPointer(
    [property: JsonPropertyName("dataset")] string Dataset,
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("manifest")] string Manifest,
    [property: JsonPropertyName("updated")] DateTimeOffset Updated)
{
    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Versions.Manifest.Json);

    public static VersionPointer Parse(byte[] bytes, string where) =>
        JsonSerializer.Deserialize<VersionPointer>(bytes, Versions.Manifest.Json) ?? throw new InvalidDataException($"{where} is empty.");
}
