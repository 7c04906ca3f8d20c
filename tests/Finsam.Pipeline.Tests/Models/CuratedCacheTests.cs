using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;

namespace Finsam.Pipeline.Tests.Models;

/// <summary>
/// The cache compacts each federation's monthly partitions into one file per data set, shares it in
/// storage for hosts with an empty cache, and compacts again only what changed.
/// </summary>
public class CuratedCacheTests
{
    private static ModelOptions Options(TempFolder work) => new(Path.Combine(RepoPaths.Root, "queries"), work.Path) { Threads = 2 };

    private static async Task<(CuratedCache.SyncResult Sync, List<string> Kpis, List<string> Ledger)> BuildAsync(IBlobStore store, TempFolder work, List<string>? messages = null)
    {
        using var build = await ModelBuild.RunAsync(store, Options(work), new SynchronousProgress<string>(m => messages?.Add(m)));
        Assert.Empty(build.AssertionFailures);
        var kpis = build.Session.Query("select kpi_id, scope_id, period, kon, dimension, cast(value as varchar) from kpi order by all").Rows.Select(r => string.Join('|', r)).ToList();
        var ledger = build.Session.Query("select federation, period, count(*) from src_ledger group by all order by all").Rows.Select(r => string.Join('|', r)).ToList();
        return (build.CacheSync, kpis, ledger);
    }

    /// <summary>A local-folder store in <paramref name="storage"/> with every sample ingested.</summary>
    private static async Task<LocalFolderBlobStore> IngestedSamplesAsync(TempFolder storage)
    {
        var store = new LocalFolderBlobStore(storage.Path);
        await Samples.IngestAllAsync(store);
        return store;
    }

    private static async Task<List<string>> StoredAsync(IBlobStore store)
    {
        var names = new List<string>();
        await foreach (var blob in store.ListAsync(Containers.Curated, CuratedCache.StoredPrefix)) names.Add(blob.Name);
        return names;
    }

    [Fact]
    public async Task A_host_with_an_empty_cache_fetches_the_compacted_files_instead_of_every_month()
    {
        using var storage = new TempFolder();
        using var firstHost = new TempFolder();
        using var newHost = new TempFolder();
        var store = await IngestedSamplesAsync(storage);

        var first = await BuildAsync(store, firstHost);
        var again = await BuildAsync(store, firstHost);
        var fresh = await BuildAsync(store, newHost);

        // 4 federations × (ledger, registrations, opening balances) × 3 months, and volumes of aspdalen (3 months) and
        // ekstrand (2): 41 monthly files, 14 federation files.
        Assert.Equal(new CuratedCache.SyncResult(0, 0, 14, 41, 0, 5), first.Sync);
        Assert.Equal(new CuratedCache.SyncResult(14, 0, 0, 0, 0, 0), again.Sync);
        Assert.Equal(new CuratedCache.SyncResult(0, 14, 0, 0, 0, 5), fresh.Sync);
        var stored = await StoredAsync(store);
        Assert.Equal(14, stored.Count);
        Assert.Contains(stored, n => n.StartsWith("compacted/ledger/federation=aspdalen/", StringComparison.Ordinal) && n.EndsWith(".parquet", StringComparison.Ordinal));
        Assert.Equal(first.Kpis, fresh.Kpis);
        Assert.Equal(first.Kpis, again.Kpis);
        Assert.True(first.Kpis.Count > 500);
    }

    [Fact]
    public async Task Only_a_changed_federation_is_compacted_again_and_stale_copies_are_removed()
    {
        using var storage = new TempFolder();
        using var host = new TempFolder();
        using var newHost = new TempFolder();
        var store = await IngestedSamplesAsync(storage);
        var before = await BuildAsync(store, host);
        var storedBefore = await StoredAsync(store);

        await store.DeleteAsync(Containers.Curated, "ledger/federation=ekstrand/period=2025-03/data.parquet");
        await foreach (var blob in store.ListAsync(Containers.Curated, "opening_balances/federation=granmo/"))
            await store.DeleteAsync(Containers.Curated, blob.Name);
        var after = await BuildAsync(store, host);
        var fresh = await BuildAsync(store, newHost);

        // ekstrand's ledger compacted again: its local file without March, and no monthly file read; granmo's opening balances gone.
        Assert.Equal(new CuratedCache.SyncResult(12, 0, 1, 0, 1, 0), after.Sync);
        Assert.Equal(before.Ledger.Where(l => l != before.Ledger.Single(x => x.StartsWith("ekstrand|2025-03|", StringComparison.Ordinal))), after.Ledger);
        Assert.DoesNotContain(after.Ledger, l => l.StartsWith("ekstrand|2025-03|", StringComparison.Ordinal));
        var storedAfter = await StoredAsync(store);
        Assert.Equal(13, storedAfter.Count);
        Assert.Equal(storedBefore.Where(n => !n.StartsWith("compacted/ledger/federation=ekstrand/", StringComparison.Ordinal) && !n.StartsWith("compacted/opening_balances/federation=granmo/", StringComparison.Ordinal)),
            storedAfter.Where(n => !n.StartsWith("compacted/ledger/federation=ekstrand/", StringComparison.Ordinal)));
        Assert.Equal(new CuratedCache.SyncResult(0, 13, 0, 0, 0, 5), fresh.Sync);
        Assert.Equal(after.Kpis, fresh.Kpis);
        Assert.Equal(after.Ledger, fresh.Ledger);
    }

    [Fact]
    public async Task A_new_or_corrected_month_is_compacted_into_the_local_file_unless_its_record_is_not_whole()
    {
        using var storage = new TempFolder();
        using var host = new TempFolder();
        using var newHost = new TempFolder();
        var store = await IngestedSamplesAsync(storage);
        await BuildAsync(store, host);
        // Ekstrand's February ledger written again (as a re-drop does): a new ETag, the same rows.
        const string february = "ledger/federation=ekstrand/period=2025-02/data.parquet";
        await Task.Delay(20);
        await store.WriteAsync(Containers.Curated, february, (await store.ReadAsync(Containers.Curated, february)).Bytes, WriteCondition.Overwrite);

        var after = await BuildAsync(store, host);

        // February's file alone is read; the rest of ekstrand's ledger is kept from its local file.
        Assert.Equal(new CuratedCache.SyncResult(13, 0, 1, 1, 0, 0), after.Sync);
        // A new host that compacts every month itself gives the same rows.
        var fresh = await BuildAsync(new CompactingStore(store), newHost);
        Assert.Equal(new CuratedCache.SyncResult(0, 0, 14, 41, 0, 5), fresh.Sync);
        Assert.Equal(fresh.Ledger, after.Ledger);
        Assert.Equal(fresh.Kpis, after.Kpis);

        // A record of what the local file was made from that does not give its signature is not trusted: every month is read.
        var record = Path.Combine(host.Path, "cache", "compacted", "ledger", "federation=ekstrand", "partitions.txt");
        await File.WriteAllTextAsync(record, string.Join('\n', (await File.ReadAllTextAsync(record)).Split('\n').Skip(1)));
        await Task.Delay(20);
        await store.WriteAsync(Containers.Curated, february, (await store.ReadAsync(Containers.Curated, february)).Bytes, WriteCondition.Overwrite);
        var untrusted = await BuildAsync(store, host);
        Assert.Equal(new CuratedCache.SyncResult(13, 0, 1, 3, 0, 0), untrusted.Sync);
        Assert.Equal(fresh.Ledger, untrusted.Ledger);
    }

    [Fact]
    public async Task A_build_that_may_not_write_to_storage_still_builds_and_says_so()
    {
        using var otherStorage = new TempFolder();
        using var otherHost = new TempFolder();
        var other = await IngestedSamplesAsync(otherStorage);
        var expected = await BuildAsync(other, otherHost);
        using var storage = new TempFolder();
        using var reader = new TempFolder();
        var store = await IngestedSamplesAsync(storage);
        var messages = new List<string>();

        var readOnly = await BuildAsync(new ReadOnlyStore(store), reader, messages);

        Assert.Equal(new CuratedCache.SyncResult(0, 0, 14, 41, 0, 5), readOnly.Sync);
        Assert.Equal(expected.Kpis, readOnly.Kpis);
        Assert.Empty(await StoredAsync(store));
        Assert.Equal(14, messages.Count(m => m.StartsWith("Cache: could not store the compacted file compacted/", StringComparison.Ordinal) && m.Contains("read-only in this test", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Reference_files_are_fetched_again_only_when_they_change()
    {
        using var storage = new TempFolder();
        using var host = new TempFolder();
        var store = await IngestedSamplesAsync(storage);
        await BuildAsync(store, host);
        var budget = (await store.ReadAsync(Containers.Reference, "budget.csv")).Bytes.Append((byte)'\n').ToArray();
        await Task.Delay(20);
        await store.WriteAsync(Containers.Reference, "budget.csv", budget, WriteCondition.Overwrite);
        await store.DeleteAsync(Containers.Reference, "insatser.csv");

        var after = await BuildAsync(store, host);

        Assert.Equal(new CuratedCache.SyncResult(14, 0, 0, 0, 0, 1), after.Sync);
        Assert.Equal(budget, await File.ReadAllBytesAsync(Path.Combine(host.Path, "cache", "reference", "budget.csv")));
        Assert.False(File.Exists(Path.Combine(host.Path, "cache", "reference", "insatser.csv")));
    }

    [Fact]
    public async Task Builds_running_at_the_same_time_in_one_process_all_compact_and_build()
    {
        // Ingestion and builds running at once in one process once gave a corrupt partition file now and
        // then (fields shared by concurrent Parquet writes; see ParquetTableTests): compaction failed with
        // "Payload value bigger than allowed".
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 24), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (_, _) =>
        {
            using var storage = new TempFolder();
            using var host = new TempFolder();
            var store = await IngestedSamplesAsync(storage);
            try
            {
                var build = await BuildAsync(store, host);
                if (build.Sync != new CuratedCache.SyncResult(0, 0, 14, 41, 0, 5)) failures.Add(build.Sync.ToString());
            }
            catch (ModelException e)
            {
                failures.Add(e.Message);
            }
        });

        Assert.Empty(failures);
    }

    [Fact]
    public async Task A_damaged_curated_file_is_named_in_the_error_with_what_to_do()
    {
        using var storage = new TempFolder();
        using var host = new TempFolder();
        var store = await IngestedSamplesAsync(storage);
        const string damaged = "ledger/federation=ekstrand/period=2025-02/data.parquet";
        var bytes = (await store.ReadAsync(Containers.Curated, damaged)).Bytes;
        await store.WriteAsync(Containers.Curated, damaged, bytes.AsMemory(0, bytes.Length / 2), WriteCondition.Overwrite);

        var error = await Assert.ThrowsAsync<ModelException>(() => BuildAsync(store, host));

        Assert.StartsWith($"The curated file curated/{damaged} cannot be read (", error.Message);
        Assert.EndsWith("Drop that month's export in landing again to rewrite it, or delete the file and ingest the month again; the original is kept in raw/.", error.Message);
    }

    /// <summary>A store whose compacted files are not listed: a new host compacts every month itself.</summary>
    private sealed class CompactingStore(IBlobStore inner) : DelegatingBlobStore(inner)
    {
        public override async IAsyncEnumerable<BlobInfo> ListAsync(string container, string prefix = "", [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
        {
            await foreach (var blob in base.ListAsync(container, prefix, ct))
                if (!blob.Name.StartsWith(CuratedCache.StoredPrefix, StringComparison.Ordinal)) yield return blob;
        }
    }

    /// <summary>A store whose writes and deletes are refused, like an identity with read access only.</summary>
    private sealed class ReadOnlyStore(IBlobStore inner) : DelegatingBlobStore(inner)
    {
        public override Task<BlobInfo> WriteAsync(string container, string name, ReadOnlyMemory<byte> content, WriteCondition condition, CancellationToken ct = default) =>
            throw new UnauthorizedAccessException($"{container}/{name} is read-only in this test.");
        public override Task<BlobInfo> CopyAsync(string sourceContainer, string sourceName, string container, string name, string? sourceETag = null, CancellationToken ct = default) =>
            throw new UnauthorizedAccessException($"{container}/{name} is read-only in this test.");
        public override Task<bool> DeleteAsync(string container, string name, string? ifMatchETag = null, CancellationToken ct = default) =>
            throw new UnauthorizedAccessException($"{container}/{name} is read-only in this test.");
    }
}
