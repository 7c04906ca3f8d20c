using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Storage;

namespace Finsam.Pipeline.Publishing;

/// <summary>
/// What a dataset's latest version was made from, so that a scheduled run can tell at once that nothing changed: a
/// fingerprint over every curated data partition (name and ETag), every reference file (name and ETag), every file of the
/// SQL project (SHA-256) and the pipeline version — the same listing the build's cache reads. Any change there (a month
/// dropped again, an empty export, a partition restored or removed by hand, a mapping edited, a model changed) changes it.
/// Kept in <c>curated/publish_state/{dataset}.json</c> beside the version it belongs to. It is a cache: absent, stale or
/// unreadable, the run builds and the version's content decides.
/// </summary>
public sealed class SourceState(IBlobStore store)
{
    public const string Folder = "publish_state";

    private sealed record State(string Dataset, int Version, string Fingerprint);

    /// <summary>Taken before a build: an input that changes while it runs makes the next run build again, never the reverse.</summary>
    public async Task<string> FingerprintAsync(string queriesFolder, CancellationToken ct = default)
    {
        var lines = new List<string>();
        foreach (var dataset in CuratedCache.Datasets)
            await foreach (var blob in store.ListAsync(Containers.Curated, dataset + "/", ct))
                lines.Add($"{Containers.Curated}/{blob.Name} {blob.ETag}");
        await foreach (var blob in store.ListAsync(Containers.Reference, "", ct))
            lines.Add($"{Containers.Reference}/{blob.Name} {blob.ETag}");
        if (Directory.Exists(queriesFolder))
            foreach (var file in Directory.EnumerateFiles(queriesFolder, "*", SearchOption.AllDirectories))
                lines.Add($"queries/{Path.GetRelativePath(queriesFolder, file).Replace('\\', '/')} {Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file, ct)))}");
        lines.Sort(StringComparer.Ordinal);
        lines.Add($"pipeline {Publisher.PipelineVersion}");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines))));
    }

    /// <summary>True when <paramref name="version"/> of the dataset was made from sources with this fingerprint.</summary>
    public async Task<bool> MatchesAsync(string dataset, int version, string fingerprint, CancellationToken ct = default)
    {
        try
        {
            var state = JsonSerializer.Deserialize<State>((await store.ReadAsync(Containers.Curated, NameOf(dataset), ct)).Bytes);
            return state is not null && state.Dataset == dataset && state.Version == version && state.Fingerprint == fingerprint;
        }
        catch (Exception e) when (e is BlobNotFoundException or JsonException)
        {
            return false;
        }
    }

    public Task RecordAsync(string dataset, int version, string fingerprint, CancellationToken ct = default) =>
        store.WriteAsync(Containers.Curated, NameOf(dataset), JsonSerializer.SerializeToUtf8Bytes(new State(dataset, version, fingerprint)), WriteCondition.Overwrite, ct);

    private static string NameOf(string dataset) => $"{Folder}/{dataset}.json";
}
