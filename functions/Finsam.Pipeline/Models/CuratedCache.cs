using System.Text.Json;
using Finsam.Pipeline.Curated;
using Finsam.Pipeline.Storage;

namespace Finsam.Pipeline.Models;

/// <summary>
/// Keeps a local copy of the curated data sets and reference files for DuckDB, which cannot read
/// blob storage here. Blobs are fetched again only when their ETag changed; files whose blob is
/// gone are removed.
/// </summary>
public sealed class CuratedCache(IBlobStore store, string folder)
{
    public static readonly string[] Datasets = [CuratedLayout.Ledger, CuratedLayout.OpeningBalances, CuratedLayout.Registrations];
    private const string IndexFile = ".etags.json";

    public string Folder => folder;

    public sealed record SyncResult(int Downloaded, int Unchanged, int Removed);

    public async Task<SyncResult> SyncAsync(CancellationToken ct = default)
    {
        Directory.CreateDirectory(folder);
        var indexPath = Path.Combine(folder, IndexFile);
        var index = File.Exists(indexPath)
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(await File.ReadAllTextAsync(indexPath, ct)) ?? []
            : [];
        var seen = new HashSet<string>();
        int downloaded = 0, unchanged = 0;
        var blobs = new List<BlobInfo>();
        foreach (var dataset in Datasets)
            await foreach (var blob in store.ListAsync(Containers.Curated, dataset + "/", ct)) blobs.Add(blob);
        await foreach (var blob in store.ListAsync(Containers.Reference, "", ct)) blobs.Add(blob);

        foreach (var blob in blobs)
        {
            var key = $"{blob.Container}/{blob.Name}";
            seen.Add(key);
            var local = LocalPath(key);
            if (index.GetValueOrDefault(key) == blob.ETag && File.Exists(local)) { unchanged++; continue; }
            var content = await store.ReadAsync(blob.Container, blob.Name, ct);
            Directory.CreateDirectory(Path.GetDirectoryName(local)!);
            await File.WriteAllBytesAsync(local, content.Bytes, ct);
            index[key] = content.Info.ETag;
            downloaded++;
        }
        var removed = 0;
        foreach (var key in index.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            File.Delete(LocalPath(key));
            index.Remove(key);
            removed++;
        }
        await File.WriteAllTextAsync(indexPath, JsonSerializer.Serialize(index), ct);
        return new SyncResult(downloaded, unchanged, removed);
    }

    public string LocalPath(string key) => Path.Combine(folder, key.Replace('/', Path.DirectorySeparatorChar));

    public string DatasetGlob(string dataset) => Path.Combine(folder, Containers.Curated, dataset, "**", "*.parquet");

    public bool HasDataset(string dataset) =>
        Directory.Exists(Path.Combine(folder, Containers.Curated, dataset)) &&
        Directory.EnumerateFiles(Path.Combine(folder, Containers.Curated, dataset), "*.parquet", SearchOption.AllDirectories).Any();

    public string ReferencePath(string file) => Path.Combine(folder, Containers.Reference, file);
}
