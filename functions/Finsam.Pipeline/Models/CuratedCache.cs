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

    /// <summary>The ETag index as the last sync left it, so that compaction need not read it again.</summary>
    private Dictionary<string, string>? _index;

    public sealed record SyncResult(int Downloaded, int Unchanged, int Removed);

    public async Task<SyncResult> SyncAsync(CancellationToken ct = default)
    {
        Directory.CreateDirectory(folder);
        var indexPath = Path.Combine(folder, IndexFile);
        var index = ReadIndex();
        var seen = new HashSet<string>();
        var blobs = new List<BlobInfo>();
        foreach (var dataset in Datasets)
            await foreach (var blob in store.ListAsync(Containers.Curated, dataset + "/", ct)) blobs.Add(blob);
        await foreach (var blob in store.ListAsync(Containers.Reference, "", ct)) blobs.Add(blob);

        var changed = new List<(BlobInfo Blob, string Key)>();
        foreach (var blob in blobs)
        {
            var key = $"{blob.Container}/{blob.Name}";
            seen.Add(key);
            if (index.GetValueOrDefault(key) != blob.ETag || !File.Exists(LocalPath(key))) changed.Add((blob, key));
        }
        // Fetched several at a time: a first build against blob storage may fetch tens of thousands.
        var fetched = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        await Parallel.ForEachAsync(changed, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (item, token) =>
        {
            var content = await store.ReadAsync(item.Blob.Container, item.Blob.Name, token);
            var local = LocalPath(item.Key);
            Directory.CreateDirectory(Path.GetDirectoryName(local)!);
            await File.WriteAllBytesAsync(local, content.Bytes, token);
            fetched[item.Key] = content.Info.ETag;
        });
        foreach (var (key, etag) in fetched) index[key] = etag;
        var (downloaded, unchanged) = (changed.Count, blobs.Count - changed.Count);
        var removed = 0;
        foreach (var key in index.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            File.Delete(LocalPath(key));
            index.Remove(key);
            removed++;
        }
        // The index lists every cached blob (tens of thousands at national scale): rewrite it only when it changed.
        if (downloaded > 0 || removed > 0 || !File.Exists(indexPath)) await File.WriteAllTextAsync(indexPath, JsonSerializer.Serialize(index), ct);
        _index = index;
        return new SyncResult(downloaded, unchanged, removed);
    }

    public string LocalPath(string key) => Path.Combine(folder, key.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>The compacted files of a data set: one per federation, with the period as a column.</summary>
    public string CompactedGlob(string dataset) => Path.Combine(folder, CompactedFolder, dataset, "*", "data.parquet");

    public bool HasDataset(string dataset) =>
        Directory.Exists(Path.Combine(folder, CompactedFolder, dataset)) &&
        Directory.EnumerateFiles(Path.Combine(folder, CompactedFolder, dataset), "data.parquet", SearchOption.AllDirectories).Any();

    private const string CompactedFolder = "compacted";
    private const string SignatureFile = "signature.txt";

    /// <summary>
    /// Rewrites the monthly partition files of each federation whose partitions changed into one
    /// file per data set and federation (period kept as a column), so that a build reads a few
    /// hundred files instead of tens of thousands. Returns how many federation files were rewritten.
    /// </summary>
    public int Compact(DuckDbSession db)
    {
        var index = _index ?? ReadIndex();
        var rewritten = 0;
        foreach (var dataset in Datasets)
        {
            var prefix = $"{Containers.Curated}/{dataset}/";
            var byFederation = index.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && k.EndsWith(".parquet", StringComparison.Ordinal))
                .GroupBy(k => k[prefix.Length..].Split('/')[0])
                .ToDictionary(g => g.Key, g => g.Order(StringComparer.Ordinal).ToList());
            var datasetFolder = Path.Combine(folder, CompactedFolder, dataset);
            if (Directory.Exists(datasetFolder))
                foreach (var stale in Directory.EnumerateDirectories(datasetFolder).Where(d => !byFederation.ContainsKey(Path.GetFileName(d))))
                    Directory.Delete(stale, recursive: true);
            foreach (var (federationFolder, keys) in byFederation)
            {
                var target = Path.Combine(datasetFolder, federationFolder);
                var signature = string.Join('\n', keys.Select(k => $"{k} {index[k]}"));
                var signaturePath = Path.Combine(target, SignatureFile);
                if (File.Exists(signaturePath) && File.ReadAllText(signaturePath) == signature) continue;
                Directory.CreateDirectory(target);
                var files = string.Join(", ", keys.Select(k => $"'{DuckDbSession.Quote(LocalPath(k))}'"));
                db.Execute($"copy (select * exclude (federation) from read_parquet([{files}], hive_partitioning = true, union_by_name = true)) " +
                           $"to '{DuckDbSession.Quote(Path.Combine(target, "data.parquet"))}' (format parquet)");
                File.WriteAllText(signaturePath, signature);
                rewritten++;
            }
        }
        return rewritten;
    }

    private Dictionary<string, string> ReadIndex()
    {
        var indexPath = Path.Combine(folder, IndexFile);
        return File.Exists(indexPath) ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(indexPath)) ?? [] : [];
    }

    public string ReferencePath(string file) => Path.Combine(folder, Containers.Reference, file);
}
