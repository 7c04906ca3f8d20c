using System.Text.Json;
using System.Text.Json.Serialization;

namespace Finsam.Pipeline.Versions;

/// <summary>
/// manifest.json of a published version: what it contains and where every figure comes from.
/// Creating it (create-only) is what commits the version.
/// </summary>
public sealed record Manifest
{
    [JsonPropertyName("dataset")] public required string Dataset { get; init; }
    [JsonPropertyName("version")] public required int Version { get; init; }
    [JsonPropertyName("created")] public required DateTimeOffset Created { get; init; }
    [JsonPropertyName("previous_version")] public int? PreviousVersion { get; init; }
    /// <summary>SHA-256 over the inputs, models, references, pipeline version and the content outputs: equal means nothing changed.</summary>
    [JsonPropertyName("content_sha256")] public required string ContentSha256 { get; init; }
    [JsonPropertyName("pipeline_version")] public required string PipelineVersion { get; init; }
    [JsonPropertyName("inputs")] public required IReadOnlyList<ManifestInput> Inputs { get; init; }
    [JsonPropertyName("models")] public required IReadOnlyList<ManifestSource> Models { get; init; }
    [JsonPropertyName("references")] public required IReadOnlyList<ManifestSource> References { get; init; }
    [JsonPropertyName("outputs")] public required IReadOnlyList<ManifestOutput> Outputs { get; init; }
    [JsonPropertyName("quality")] public required QualitySummary Quality { get; init; }
    [JsonPropertyName("changes")] public required ManifestChanges Changes { get; init; }
    /// <summary>Member releases: the small-count audit's verdict (absent for the controller's dataset and older manifests).</summary>
    [JsonPropertyName("disclosure_audit"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ManifestDisclosureAudit? DisclosureAudit { get; init; }

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>One line for listings: what this version changed.</summary>
    public string ChangeSummary() => PreviousVersion is null ? $"first version: {Inputs.Count} input file(s)" : Changes.Summary();

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static Manifest Parse(byte[] bytes, string where) =>
        JsonSerializer.Deserialize<Manifest>(bytes, Json) ?? throw new InvalidDataException($"{where} is empty.");
}

/// <summary>A curated input file: the landing file whose rows are in this version.</summary>
public sealed record ManifestInput(
    [property: JsonPropertyName("federation")] string Federation,
    [property: JsonPropertyName("period")] string Period,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("ingested_at")] DateTime? IngestedAt);

/// <summary>A SQL model or reference file used, by path and SHA-256.</summary>
public sealed record ManifestSource(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("sha256")] string Sha256);

public sealed record ManifestOutput(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("rows")] long? Rows,
    [property: JsonPropertyName("schema")] IReadOnlyList<ColumnSchema>? Schema);

public sealed record QualityRuleCount(
    [property: JsonPropertyName("rule_id")] string RuleId,
    [property: JsonPropertyName("severity")] string Severity,
    [property: JsonPropertyName("findings")] long Findings);

public sealed record QualitySummary(
    [property: JsonPropertyName("errors")] long Errors,
    [property: JsonPropertyName("warnings")] long Warnings,
    [property: JsonPropertyName("rules")] IReadOnlyList<QualityRuleCount> Rules);

/// <summary>What differs from the previous version: input files (federation/period/kind: old → new SHA-256), models, references, outputs.</summary>
public sealed record ManifestChanges(
    [property: JsonPropertyName("inputs_added")] IReadOnlyList<string> InputsAdded,
    [property: JsonPropertyName("inputs_replaced")] IReadOnlyList<string> InputsReplaced,
    [property: JsonPropertyName("inputs_removed")] IReadOnlyList<string> InputsRemoved,
    [property: JsonPropertyName("models_changed")] IReadOnlyList<string> ModelsChanged,
    [property: JsonPropertyName("references_changed")] IReadOnlyList<string> ReferencesChanged,
    [property: JsonPropertyName("outputs_changed")] IReadOnlyList<string> OutputsChanged)
{
    public static ManifestChanges Between(Manifest? previous, IReadOnlyList<ManifestInput> inputs, IReadOnlyList<ManifestSource> models,
        IReadOnlyList<ManifestSource> references, IReadOnlyList<PublicationFile> outputs)
    {
        static string Key(ManifestInput i) => $"{i.Federation}/{i.Period}/{i.Kind}";
        var before = (previous?.Inputs ?? []).ToDictionary(Key, i => i.Sha256);
        var after = inputs.ToDictionary(Key, i => i.Sha256);
        var added = after.Keys.Where(k => !before.ContainsKey(k)).Order(StringComparer.Ordinal).Select(k => $"{k} {after[k]}").ToList();
        var replaced = after.Keys.Where(k => before.TryGetValue(k, out var sha) && sha != after[k]).Order(StringComparer.Ordinal)
            .Select(k => $"{k} {before[k]} -> {after[k]}").ToList();
        var removed = before.Keys.Where(k => !after.ContainsKey(k)).Order(StringComparer.Ordinal).Select(k => $"{k} {before[k]}").ToList();
        return new ManifestChanges(added, replaced, removed,
            ChangedSources(previous?.Models, models), ChangedSources(previous?.References, references),
            outputs.Where(o => !o.VersionDependent && previous?.Outputs.FirstOrDefault(p => p.Name == o.Name)?.Sha256 != o.Sha256)
                .Select(o => o.Name).Order(StringComparer.Ordinal).ToList());
    }

    private static List<string> ChangedSources(IReadOnlyList<ManifestSource>? before, IReadOnlyList<ManifestSource> after)
    {
        var old = (before ?? []).ToDictionary(s => s.Path, s => s.Sha256);
        var now = after.ToDictionary(s => s.Path, s => s.Sha256);
        return old.Keys.Union(now.Keys).Where(p => old.GetValueOrDefault(p) != now.GetValueOrDefault(p)).Order(StringComparer.Ordinal).ToList();
    }

    public bool IsEmpty => InputsAdded.Count + InputsReplaced.Count + InputsRemoved.Count + ModelsChanged.Count + ReferencesChanged.Count + OutputsChanged.Count == 0;

    /// <summary>One line for `finsam versions`.</summary>
    public string Summary()
    {
        var parts = new List<string>();
        if (InputsAdded.Count > 0) parts.Add($"{InputsAdded.Count} input(s) added");
        if (InputsReplaced.Count > 0) parts.Add($"{InputsReplaced.Count} replaced ({string.Join(", ", InputsReplaced.Select(r => r.Split(' ')[0]).Take(3))}{(InputsReplaced.Count > 3 ? " …" : "")})");
        if (InputsRemoved.Count > 0) parts.Add($"{InputsRemoved.Count} removed");
        if (ModelsChanged.Count > 0) parts.Add($"models: {string.Join(", ", ModelsChanged.Take(3))}{(ModelsChanged.Count > 3 ? " …" : "")}");
        if (ReferencesChanged.Count > 0) parts.Add($"reference: {string.Join(", ", ReferencesChanged)}");
        if (parts.Count == 0 && OutputsChanged.Count > 0) parts.Add($"outputs: {string.Join(", ", OutputsChanged.Take(3))}");
        return parts.Count == 0 ? "no change" : string.Join("; ", parts);
    }
}

/// <summary>The audit's verdict as the manifest records it.</summary>
public sealed record ManifestDisclosureAudit(
    [property: JsonPropertyName("passed")] bool Passed,
    [property: JsonPropertyName("suppressed_cells")] int SuppressedCells,
    [property: JsonPropertyName("smallest_interval_width")] decimal? SmallestIntervalWidth,
    [property: JsonPropertyName("earlier_releases")] int EarlierReleases,
    [property: JsonPropertyName("narrowed_if_guessed_not_zero")] int? NotZeroGuessNarrowed = null);
