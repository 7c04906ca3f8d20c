using System.Text.Json.Serialization;

namespace Finsam.Pipeline.Publishing.Report;

/// <summary>A chart in the report: rendered by Chart.js from this description. Null values (suppressed or missing) are gaps.</summary>
public sealed record ChartSpec(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("labels")] IReadOnlyList<string> Labels,
    [property: JsonPropertyName("datasets")] IReadOnlyList<ChartSeries> Datasets,
    [property: JsonPropertyName("stacked")] bool Stacked,
    [property: JsonPropertyName("unit")] string Unit,
    [property: JsonPropertyName("referenceLine")] decimal? ReferenceLine = null,
    [property: JsonPropertyName("referenceLabel")] string? ReferenceLabel = null);

public sealed record ChartSeries(
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("data")] IReadOnlyList<decimal?> Data,
    [property: JsonPropertyName("color")] string Color);
