using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Finsam.Pipeline.Curated;
using Finsam.Pipeline.Storage;

namespace Finsam.Pipeline.Models;

/// <summary>
/// Gives DuckDB, which cannot read blob storage here, a local copy of the curated data: one
/// compacted Parquet file per data set and federation (the monthly partitions joined, the period
/// kept as a column), so that a build reads a few hundred files instead of tens of thousands.
/// <para>
/// A compacted file is named by the signature of the partitions it was made from (their names and
/// ETags). It is kept in the local cache and in storage under curated/compacted/, so a host with an
/// empty cache (a new serverless instance) downloads one file per federation instead of every
/// monthly partition. Only a federation whose partitions changed is compacted again.
/// </para>
/// </summary>
public sealed class CuratedCache(IBlobStore store, string folder)
{
    public static readonly string[] Datasets = [CuratedLayout.Ledger, CuratedLayout.OpeningBalances, CuratedLayout.Registrations, CuratedLayout.Volumes];

    /// <summary>Where compacted files are shared in the curated container: compacted/{dataset}/federation={id}/{signature}.parquet.</summary>
    public const string StoredPrefix = "compacted/";

    /// <summary>Part of every signature: a change to how files are compacted makes every stored file stale.</summary>
    private const string CompactionVersion = "finsam-compaction-1";
    private const string CompactedFolder = "compacted";
    private const string SignatureFile = "signature.txt";
    /// <summary>Beside the signature: the partitions (<see cref="Group.Listing"/>) the local file was made from.</summary>
    private const string PartitionsFile = "partitions.txt";
    private const string DataFile = "data.parquet";
    private const string ReferenceIndexFile = ".reference-etags.json";

    public string Folder => folder;

    /// <summary>
    /// Every monthly partition of the curated data sets at the last <see cref="SyncAsync"/>: data set, federation and period.
    /// A month whose export had no rows (an accepted participant export with nobody active) has a partition but no rows in the
    /// compacted file, so this is how the models tell a delivered empty month from a missing one.
    /// </summary>
    public IReadOnlyList<(string Dataset, string Federation, string Period)> Partitions { get; private set; } = [];

    /// <summary>
    /// Per federation with curated data at the last <see cref="SyncAsync"/>: what its files are, one line per data set with the
    /// signature of its monthly partitions (their names and ETags). Equal text, equal curated data.
    /// </summary>
    public IReadOnlyDictionary<string, string> FederationInputs { get; private set; } = new Dictionary<string, string>();

    /// <param name="Current">Federation files already in the local cache.</param>
    /// <param name="Downloaded">Federation files fetched already compacted from storage.</param>
    /// <param name="Compacted">Federation files compacted here from their monthly partitions.</param>
    /// <param name="PartitionsRead">Monthly partition files read for that: every one of a federation's, or only its changed months' where the rest of its file is kept.</param>
    /// <param name="Removed">Federation files dropped because their partitions are gone.</param>
    /// <param name="ReferenceFilesFetched">Reference files fetched because their ETag changed.</param>
    public sealed record SyncResult(int Current, int Downloaded, int Compacted, int PartitionsRead, int Removed, int ReferenceFilesFetched)
    {
        public override string ToString() =>
            $"{Current} federation file(s) unchanged, {Downloaded} fetched compacted, {Compacted} compacted from {PartitionsRead} monthly file(s), " +
            $"{Removed} removed; {ReferenceFilesFetched} reference file(s) fetched";
    }

    /// <summary>The monthly partitions of one data set and federation, and the signature they give.</summary>
    private sealed record Group(string Dataset, string FederationFolder, IReadOnlyList<BlobInfo> Partitions)
    {
        /// <summary>Each partition's name and ETag, a line each: what the compacted file is made from.</summary>
        public string Listing { get; } = string.Join('\n', Partitions.Select(p => $"{p.Name} {p.ETag}"));

        public string Signature => SignatureOf(Listing);

        public string StoredName => $"{StoredPrefix}{Dataset}/{FederationFolder}/{Signature}.parquet";

        public static string SignatureOf(string listing) =>
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CompactionVersion + "\n" + listing)));
    }

    /// <summary>
    /// Brings the local cache up to date with storage; <paramref name="db"/> compacts what changed.
    /// </summary>
    public async Task<SyncResult> SyncAsync(DuckDbSession db, IProgress<string>? progress = null, CancellationToken ct = default)
    {
        Directory.CreateDirectory(folder);
        RemoveEarlierLayout();
        // The data sets are listed side by side: a national store has about 20 000 partitions, listed by every build.
        var listed = await Task.WhenAll(Datasets.Select(dataset => Task.Run(async () =>
        {
            var partitions = new List<BlobInfo>();
            await foreach (var blob in store.ListAsync(Containers.Curated, dataset + "/", ct))
                if (blob.Name.EndsWith(".parquet", StringComparison.Ordinal)) partitions.Add(blob);
            return partitions.GroupBy(p => p.Name.Split('/')[1])
                .Select(g => new Group(dataset, g.Key, g.OrderBy(p => p.Name, StringComparer.Ordinal).ToList())).ToList();
        }, ct)));
        var groups = listed.SelectMany(g => g).ToList();
        Partitions = groups.SelectMany(g => g.Partitions.Select(p => p.Name.Split('/')))
            .Where(parts => parts.Length == 4 && parts[1].StartsWith("federation=", StringComparison.Ordinal) && parts[2].StartsWith("period=", StringComparison.Ordinal))
            .Select(parts => (parts[0], parts[1]["federation=".Length..], parts[2]["period=".Length..]))
            .Distinct().Order().ToList();
        FederationInputs = groups.Where(g => g.FederationFolder.StartsWith("federation=", StringComparison.Ordinal)).GroupBy(g => g.FederationFolder["federation=".Length..], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => string.Join('\n', g.OrderBy(x => x.Dataset, StringComparer.Ordinal).Select(x => $"{x.Dataset} {x.Signature}")), StringComparer.Ordinal);
        var stored = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var blob in store.ListAsync(Containers.Curated, StoredPrefix, ct)) stored.Add(blob.Name);

        var stale = groups.Where(g => ReadSignature(g) != g.Signature).ToList();
        var (downloaded, compacted, partitionsRead) = (0, 0, 0);
        var toCompact = new List<Group>();
        foreach (var group in stale)
        {
            if (stored.Contains(group.StoredName) && await TryDownloadAsync(group, ct)) downloaded++;
            else toCompact.Add(group);
        }
        if (downloaded > 0) progress?.Report($"Cache: {downloaded} compacted federation file(s) fetched from storage.");

        // One federation at a time, on the compaction database the build gives.
        foreach (var group in toCompact)
        {
            partitionsRead += await CompactAsync(group, db, progress, ct);
            compacted++;
            if (compacted % 20 == 0 || compacted == toCompact.Count) progress?.Report($"Cache: compacted {compacted} of {toCompact.Count} federation file(s).");
        }

        var removed = RemoveGone(groups);
        await DeleteStaleStoredAsync(groups, stored, progress, ct);
        var referencesFetched = await SyncReferencesAsync(ct);
        return new SyncResult(groups.Count - stale.Count, downloaded, compacted, partitionsRead, removed, referencesFetched);
    }

    /// <summary>The compacted files of a data set: one per federation, with the period as a column.</summary>
    public string CompactedGlob(string dataset) => Path.Combine(folder, CompactedFolder, dataset, "*", DataFile);

    /// <summary>The compacted file of a data set and federation, or null when the federation has none.</summary>
    public string? CompactedFile(string dataset, string federation)
    {
        var path = Path.Combine(folder, CompactedFolder, dataset, "federation=" + federation, DataFile);
        return File.Exists(path) ? path : null;
    }

    public bool HasDataset(string dataset) =>
        Directory.Exists(Path.Combine(folder, CompactedFolder, dataset)) &&
        Directory.EnumerateFiles(Path.Combine(folder, CompactedFolder, dataset), DataFile, SearchOption.AllDirectories).Any();

    public string ReferencePath(string file) => Path.Combine(folder, Containers.Reference, file);

    private string GroupFolder(Group group) => Path.Combine(folder, CompactedFolder, group.Dataset, group.FederationFolder);

    private string? ReadSignature(Group group)
    {
        var path = Path.Combine(GroupFolder(group), SignatureFile);
        return File.Exists(path) && File.Exists(Path.Combine(GroupFolder(group), DataFile)) ? File.ReadAllText(path) : null;
    }

    private async Task<bool> TryDownloadAsync(Group group, CancellationToken ct)
    {
        BlobContent content;
        try
        {
            content = await store.ReadAsync(Containers.Curated, group.StoredName, ct);
        }
        catch (BlobNotFoundException)
        {
            return false; // removed since it was listed: compact it here instead
        }
        var temp = TempFile(group);
        await File.WriteAllBytesAsync(temp, content.Bytes, ct);
        Commit(group, temp);
        return true;
    }

    /// <summary>
    /// Joins the group's monthly partitions into one file, and shares it in storage. Where the local file was made from most
    /// of the same partitions (a federation's new or corrected month), it is kept but for the months whose partitions changed,
    /// and only those months' partitions are read (<see cref="MonthsToRead"/>); otherwise every partition is read. Partitions are
    /// read where they are on a local folder store, or fetched into a scratch folder first. The local file is committed (data,
    /// then what it was made from) only when complete.
    /// </summary>
    private async Task<int> CompactAsync(Group group, DuckDbSession db, IProgress<string>? progress, CancellationToken ct)
    {
        // Partitions fetched keep their Hive path below the data set (federation=…/period=…/file) for DuckDB.
        var datasetScratch = Path.Combine(folder, "partitions", group.Dataset);
        var scratch = Path.Combine(datasetScratch, group.FederationFolder);
        try
        {
            var months = MonthsToRead(group);
            if (months is not null)
            {
                try
                {
                    return await CompactAsync(group, months, db, datasetScratch, progress, ct);
                }
                catch (DuckDB.NET.Data.DuckDBException)
                {
                    // The local file cannot be read after all (or a changed month cannot): every partition is read below.
                }
            }
            return await CompactAsync(group, months: null, db, datasetScratch, progress, ct);
        }
        finally
        {
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>One compaction: of <paramref name="months"/>' partitions and the rest of the local file, or of every partition (null).</summary>
    private async Task<int> CompactAsync(Group group, HashSet<string>? months, DuckDbSession db, string datasetScratch, IProgress<string>? progress, CancellationToken ct)
    {
        var partitions = months is null ? group.Partitions : [.. group.Partitions.Where(p => months.Contains(PeriodOf(p.Name)!))];
        var files = store is ILocalFileStore local
            ? partitions.Select(p => (Partition: p, Path: local.LocalPath(Containers.Curated, p.Name))).ToList()
            : await FetchAsync(group, partitions, datasetScratch, ct);
        var temp = TempFile(group);
        var list = string.Join(", ", files.Select(f => $"'{DuckDbSession.Quote(f.Path)}'"));
        var read = $"select * exclude (federation) from read_parquet([{list}], hive_partitioning = true, hive_types = {{'period': 'VARCHAR'}}, union_by_name = true)";
        if (months is not null)
        {
            var kept = $"select * from read_parquet('{DuckDbSession.Quote(Path.Combine(GroupFolder(group), DataFile))}')" +
                       (months.Count > 0 ? $" where period not in ({string.Join(", ", months.Order(StringComparer.Ordinal).Select(m => $"'{DuckDbSession.Quote(m)}'"))})" : "");
            read = files.Count > 0 ? $"{kept} union all by name {read}" : kept;
        }
        try
        {
            db.Execute($"copy ({read}) to '{DuckDbSession.Quote(temp)}' (format parquet)");
        }
        catch (DuckDB.NET.Data.DuckDBException e) when (months is null && UnreadablePartition(files, db) is { } damaged)
        {
            throw new ModelException(
                $"The curated file {Containers.Curated}/{damaged.Name} cannot be read ({e.Message.Split('\n')[0]}). " +
                "Drop that month's export in landing again to rewrite it, or delete the file and ingest the month again; " +
                "the original is kept in raw/.", e);
        }
        var bytes = await File.ReadAllBytesAsync(temp, ct);
        Commit(group, temp);
        await ShareAsync(group, bytes, progress, ct);
        return files.Count;
    }

    /// <summary>
    /// The months whose partitions were added, changed or removed since the local file was made, when the rest of it can be
    /// kept: its record of what it was made from is whole (it gives the signature committed beside it), every partition is
    /// named by its month, and the changed months are at most half. Null when every partition is to be read.
    /// </summary>
    private HashSet<string>? MonthsToRead(Group group)
    {
        var groupFolder = GroupFolder(group);
        var (signature, listing) = (Path.Combine(groupFolder, SignatureFile), Path.Combine(groupFolder, PartitionsFile));
        if (!File.Exists(signature) || !File.Exists(listing) || !File.Exists(Path.Combine(groupFolder, DataFile))) return null;
        var made = File.ReadAllText(listing);
        if (Group.SignatureOf(made) != File.ReadAllText(signature)) return null;
        var before = made.Length == 0 ? [] : made.Split('\n').ToHashSet(StringComparer.Ordinal);
        var now = group.Listing.Split('\n').ToHashSet(StringComparer.Ordinal);
        var periods = before.Concat(now).Select(line => PeriodOf(line.Split(' ')[0])).ToList();
        if (periods.Any(p => p is null)) return null;
        var changed = before.Except(now).Concat(now.Except(before)).Select(line => PeriodOf(line.Split(' ')[0])!).ToHashSet(StringComparer.Ordinal);
        return changed.Count * 2 <= periods.Distinct().Count() ? changed : null;
    }

    /// <summary>The month of a partition's name (data set/federation=…/period=YYYY-MM/file), or null for another name.</summary>
    private static string? PeriodOf(string name)
    {
        var parts = name.Split('/');
        return parts.Length == 4 && parts[2].StartsWith("period=", StringComparison.Ordinal) ? parts[2]["period=".Length..] : null;
    }

    /// <summary>
    /// After a failed compaction: the first of the group's partitions that DuckDB cannot read on its own
    /// (every value decoded), or null when each can be read and the failure lies elsewhere (e.g. memory).
    /// </summary>
    private static BlobInfo? UnreadablePartition(IEnumerable<(BlobInfo Partition, string Path)> files, DuckDbSession db)
    {
        foreach (var (partition, path) in files)
        {
            try
            {
                db.Execute($"create or replace temp table finsam_partition_check as select * from read_parquet('{DuckDbSession.Quote(path)}'); " +
                           "drop table finsam_partition_check");
            }
            catch (DuckDB.NET.Data.DuckDBException)
            {
                return partition;
            }
        }
        return null;
    }

    /// <summary>Downloads <paramref name="partitions"/> of the group below <paramref name="datasetScratch"/>, replacing what an interrupted build left there.</summary>
    private async Task<List<(BlobInfo Partition, string Path)>> FetchAsync(Group group, IReadOnlyList<BlobInfo> partitions, string datasetScratch, CancellationToken ct)
    {
        var scratch = Path.Combine(datasetScratch, group.FederationFolder);
        if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        var files = new ConcurrentBag<(BlobInfo, string)>();
        await Parallel.ForEachAsync(partitions, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (partition, token) =>
        {
            var content = await store.ReadAsync(Containers.Curated, partition.Name, token);
            var local = Path.Combine(datasetScratch, partition.Name[(group.Dataset.Length + 1)..].Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(local)!);
            await File.WriteAllBytesAsync(local, content.Bytes, token);
            files.Add((partition, local));
        });
        return files.OrderBy(f => f.Item2, StringComparer.Ordinal).ToList();
    }

    /// <summary>Where a group's new file is written before <see cref="Commit"/> moves it into place.</summary>
    private string TempFile(Group group)
    {
        Directory.CreateDirectory(GroupFolder(group));
        return Path.Combine(GroupFolder(group), DataFile + ".tmp");
    }

    /// <summary>
    /// Moves the new file into place, then records what it was made from and its signature. The signature goes first and
    /// comes last, so that a build stopped halfway leaves no signature, and a record that does not give the signature
    /// committed is not trusted (<see cref="MonthsToRead"/>).
    /// </summary>
    private void Commit(Group group, string temp)
    {
        var target = GroupFolder(group);
        File.Delete(Path.Combine(target, SignatureFile));
        File.Move(temp, Path.Combine(target, DataFile), overwrite: true);
        File.WriteAllText(Path.Combine(target, PartitionsFile), group.Listing);
        File.WriteAllText(Path.Combine(target, SignatureFile), group.Signature);
    }

    /// <summary>
    /// Stores the compacted file for other hosts. It is only a copy: when another build stored the
    /// same signature first, or this identity may not write, the build goes on without it.
    /// </summary>
    private async Task ShareAsync(Group group, byte[] bytes, IProgress<string>? progress, CancellationToken ct)
    {
        try
        {
            await store.WriteAsync(Containers.Curated, group.StoredName, bytes, WriteCondition.IfNotExists, ct);
        }
        catch (BlobConditionFailedException)
        {
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            progress?.Report($"Cache: could not store the compacted file {group.StoredName} ({e.Message.Split('\n')[0]}); later builds on other hosts will compact it again.");
        }
    }

    /// <summary>Compacted files in storage whose partitions have changed or gone: best effort, like storing them.</summary>
    private async Task DeleteStaleStoredAsync(IReadOnlyList<Group> groups, IReadOnlySet<string> stored, IProgress<string>? progress, CancellationToken ct)
    {
        var current = groups.Select(g => g.StoredName).ToHashSet(StringComparer.Ordinal);
        foreach (var name in stored.Where(n => !current.Contains(n)))
        {
            try
            {
                await store.DeleteAsync(Containers.Curated, name, ct: ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                progress?.Report($"Cache: could not remove the stale compacted file {name} ({e.Message.Split('\n')[0]}).");
            }
        }
    }

    /// <summary>Local federation files whose partitions are all gone.</summary>
    private int RemoveGone(IReadOnlyList<Group> groups)
    {
        var removed = 0;
        foreach (var dataset in Datasets)
        {
            var datasetFolder = Path.Combine(folder, CompactedFolder, dataset);
            if (!Directory.Exists(datasetFolder)) continue;
            var present = groups.Where(g => g.Dataset == dataset).Select(g => g.FederationFolder).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in Directory.EnumerateDirectories(datasetFolder).Where(d => !present.Contains(Path.GetFileName(d))).ToList())
            {
                Directory.Delete(gone, recursive: true);
                removed++;
            }
        }
        return removed;
    }

    /// <summary>Caches made before compacted files were shared kept every monthly partition and one ETag index.</summary>
    private void RemoveEarlierLayout()
    {
        if (Directory.Exists(Path.Combine(folder, Containers.Curated))) Directory.Delete(Path.Combine(folder, Containers.Curated), recursive: true);
        File.Delete(Path.Combine(folder, ".etags.json"));
    }

    /// <summary>The reference files, fetched again only when their ETag changed.</summary>
    private async Task<int> SyncReferencesAsync(CancellationToken ct)
    {
        var referenceFolder = Path.Combine(folder, Containers.Reference);
        Directory.CreateDirectory(referenceFolder);
        var indexPath = Path.Combine(folder, ReferenceIndexFile);
        var index = File.Exists(indexPath) ? JsonSerializer.Deserialize<Dictionary<string, string>>(await File.ReadAllTextAsync(indexPath, ct)) ?? [] : [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var fetched = 0;
        await foreach (var blob in store.ListAsync(Containers.Reference, "", ct))
        {
            seen.Add(blob.Name);
            var local = Path.Combine(referenceFolder, blob.Name.Replace('/', Path.DirectorySeparatorChar));
            if (index.GetValueOrDefault(blob.Name) == blob.ETag && File.Exists(local)) continue;
            var content = await store.ReadAsync(Containers.Reference, blob.Name, ct);
            Directory.CreateDirectory(Path.GetDirectoryName(local)!);
            await File.WriteAllBytesAsync(local, content.Bytes, ct);
            // The listed ETag, as the next build compares it: Azure lists an ETag without the quotes a read gives it, so an index of
            // read ETags fetched every reference file again on every build there.
            index[blob.Name] = blob.ETag;
            fetched++;
        }
        var gone = index.Keys.Where(k => !seen.Contains(k)).ToList();
        foreach (var name in gone)
        {
            File.Delete(Path.Combine(referenceFolder, name.Replace('/', Path.DirectorySeparatorChar)));
            index.Remove(name);
        }
        if (fetched > 0 || gone.Count > 0 || !File.Exists(indexPath)) await File.WriteAllTextAsync(indexPath, JsonSerializer.Serialize(index), ct);
        return fetched;
    }
}
