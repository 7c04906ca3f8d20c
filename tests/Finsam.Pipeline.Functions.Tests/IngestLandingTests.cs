using Finsam.Pipeline.Curated;
using Finsam.Pipeline.Functions.Tests.Support;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;

namespace Finsam.Pipeline.Functions.Tests;

/// <summary>IngestLanding called as the host calls it for an Event Grid event, with a real BlobClient on Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public class IngestLandingTests(AzuriteFixture azurite)
{
    private const string Ledger = "aspdalen/2025-01/aspdalen_huvudbok_202501.se";

    private static async Task<FunctionsApp> AppWithReferenceAsync(AzuriteFixture azurite, IReadOnlyDictionary<string, string?>? settings = null, Func<IBlobStore, IBlobStore>? wrap = null)
    {
        var app = new FunctionsApp(azurite, settings, wrap);
        await Samples.SeedReferenceAsync(app.Store);
        return app;
    }

    private static async Task<List<string>> NamesAsync(IBlobStore store, string container, string prefix = "") =>
        await store.ListAsync(container, prefix).Select(b => b.Name).ToListAsync();

    private static async Task<List<IngestionLog.Entry>> LogAsync(IBlobStore store) => await new IngestionLog(store).AllEntriesAsync(CancellationToken.None);

    [Fact]
    public async Task A_sample_file_is_ingested_and_the_same_event_again_changes_nothing()
    {
        using var app = await AppWithReferenceAsync(azurite);
        await app.Store.WriteAsync(Containers.Landing, Ledger, Samples.File(Ledger), WriteCondition.Overwrite);
        var function = app.Function<IngestLanding>();

        await function.Run(app.LandingBlob(Ledger), Ledger, CancellationToken.None);
        await function.Run(app.LandingBlob(Ledger), Ledger, CancellationToken.None);

        Assert.Empty(await NamesAsync(app.Store, Containers.Landing));
        Assert.Equal(["ledger/federation=aspdalen/period=2025-01/data.parquet", "opening_balances/federation=aspdalen/period=2025-01/data.parquet"],
            (await NamesAsync(app.Store, Containers.Curated)).Where(n => n.EndsWith("/data.parquet")));
        Assert.Equal(["accepted"], (await LogAsync(app.Store)).Select(e => e.Status));
        Assert.Contains(app.Logs.Lines, l => l.Contains($"Landing blob {Ledger} is gone: already processed or removed"));
    }

    [Fact]
    public async Task The_same_bytes_dropped_again_are_recognised_and_not_ingested_twice()
    {
        using var app = await AppWithReferenceAsync(azurite);
        var function = app.Function<IngestLanding>();
        await app.Store.WriteAsync(Containers.Landing, Ledger, Samples.File(Ledger), WriteCondition.Overwrite);
        await function.Run(app.LandingBlob(Ledger), Ledger, CancellationToken.None);

        await app.Store.WriteAsync(Containers.Landing, Ledger, Samples.File(Ledger), WriteCondition.Overwrite);
        await function.Run(app.LandingBlob(Ledger), Ledger, CancellationToken.None);

        Assert.Equal(["accepted", "duplicate"], (await LogAsync(app.Store)).OrderBy(e => e.IngestedAt).Select(e => e.Status));
        Assert.Empty(await NamesAsync(app.Store, Containers.Landing));
    }

    [Fact]
    public async Task A_processed_version_still_in_landing_is_not_ingested_again_and_is_removed_from_landing()
    {
        using var app = await AppWithReferenceAsync(azurite);
        var function = app.Function<IngestLanding>();
        await app.Store.WriteAsync(Containers.Landing, Ledger, Samples.File(Ledger), WriteCondition.Overwrite);
        var version = (await app.Store.GetInfoAsync(Containers.Landing, Ledger))!;
        // As if the removal from landing had failed after the file was processed: its receipt is there.
        await new LandingReceipts(app.Store).WriteProcessedAsync(version,
            new FileOutcome(Ledger, FileStatus.Accepted, "", FileKind.SieLedger, "aspdalen", "2025-01", 16, 0, 0, 0, null, "Ingested."), DateTimeOffset.UtcNow, CancellationToken.None);

        await function.Run(app.LandingBlob(Ledger), Ledger, CancellationToken.None);

        Assert.Empty(await LogAsync(app.Store));
        Assert.DoesNotContain(await NamesAsync(app.Store, Containers.Curated), n => n.EndsWith("/data.parquet"));
        Assert.Empty(await NamesAsync(app.Store, Containers.Landing));
    }

    [Fact]
    public async Task A_participant_export_without_registrations_is_accepted_as_an_empty_month()
    {
        using var app = await AppWithReferenceAsync(azurite);
        const string name = "granmo/2025-02/deltagare.csv";
        var header = System.Text.Encoding.UTF8.GetString(Samples.File("granmo/2025-02/granmo_deltagare_202502.csv")).Split('\n')[0] + "\n";
        await app.Store.WriteAsync(Containers.Landing, name, System.Text.Encoding.UTF8.GetBytes(header), WriteCondition.Overwrite);

        await app.Function<IngestLanding>().Run(app.LandingBlob(name), name, CancellationToken.None);

        Assert.Equal(["accepted"], (await LogAsync(app.Store)).Select(e => e.Status));
        Assert.Equal(["registrations/federation=granmo/period=2025-02/data.parquet"], (await NamesAsync(app.Store, Containers.Curated)).Where(n => n.EndsWith("/data.parquet")));
    }

    [Fact]
    public async Task An_event_for_a_blob_already_gone_is_a_no_op()
    {
        using var app = await AppWithReferenceAsync(azurite);

        await app.Function<IngestLanding>().Run(app.LandingBlob("granmo/2025-02/gone.csv"), "granmo/2025-02/gone.csv", CancellationToken.None);

        Assert.Empty(await NamesAsync(app.Store, Containers.Curated));
        Assert.Empty(await NamesAsync(app.Store, Containers.Quarantine));
        Assert.Empty(await NamesAsync(app.Store, Containers.Raw));
    }

    [Fact]
    public async Task A_file_that_breaks_the_contract_is_quarantined_and_the_function_returns()
    {
        using var app = await AppWithReferenceAsync(azurite);
        const string name = "bjorkvik/2025-02/huvudbok.csv";
        var bad = "konto;datum;belopp\n4010;2025-02-31;100,00\n"u8.ToArray();
        await app.Store.WriteAsync(Containers.Landing, name, bad, WriteCondition.Overwrite);

        await app.Function<IngestLanding>().Run(app.LandingBlob(name), name, CancellationToken.None);

        var quarantined = await NamesAsync(app.Store, Containers.Quarantine, "bjorkvik/2025-02/");
        Assert.Equal(3, quarantined.Count);
        Assert.Single(quarantined, n => n.EndsWith("_huvudbok.csv"));
        Assert.Equal(bad, (await app.Store.ReadAsync(Containers.Quarantine, quarantined.Single(n => n.EndsWith("_huvudbok.csv")))).Bytes);
        Assert.Empty(await NamesAsync(app.Store, Containers.Landing));
        Assert.Equal(["rejected"], (await LogAsync(app.Store)).Select(e => e.Status));
    }

    [Fact]
    public async Task A_storage_fault_is_thrown_after_its_retries_and_the_file_stays_in_landing()
    {
        FaultyCurated? faulty = null;
        using var app = await AppWithReferenceAsync(azurite, new Dictionary<string, string?> { ["Finsam:Storage:TransientAttempts"] = "3" },
            store => faulty = new FaultyCurated(store));
        await app.Store.WriteAsync(Containers.Landing, Ledger, Samples.File(Ledger), WriteCondition.Overwrite);

        var e = await Assert.ThrowsAsync<IngestionFailedException>(() => app.Function<IngestLanding>().Run(app.LandingBlob(Ledger), Ledger, CancellationToken.None));

        Assert.Equal($"{Ledger} could not be processed (IOException: the storage service is unavailable); it stays in landing.", e.Message);
        Assert.Null(e.InnerException);
        Assert.Equal(3, faulty!.Attempts);
        Assert.Equal([Ledger], await NamesAsync(app.Store, Containers.Landing));
        Assert.Equal(Samples.File(Ledger), (await app.Store.ReadAsync(Containers.Landing, Ledger)).Bytes);
        Assert.Equal(2, app.Logs.Lines.Count(l => l.StartsWith("Warning") && l.Contains("Storage fault (the storage service is unavailable); trying again")));
    }

    [Fact]
    public async Task A_blob_over_the_size_limit_is_quarantined_without_being_downloaded()
    {
        ReadCounter? counter = null;
        using var app = await AppWithReferenceAsync(azurite, new Dictionary<string, string?> { ["Finsam:Limits:MaxFileBytes"] = "2048" },
            store => counter = new ReadCounter(store));
        const string name = "granmo/2025-03/huge.se";
        var bytes = new byte[5000];
        Array.Fill(bytes, (byte)'#');
        await app.Store.WriteAsync(Containers.Landing, name, bytes, WriteCondition.Overwrite);

        await app.Function<IngestLanding>().Run(app.LandingBlob(name), name, CancellationToken.None);

        Assert.Equal(0, counter!.LandingReads);
        var quarantined = await NamesAsync(app.Store, Containers.Quarantine, "granmo/2025-03/");
        var copy = quarantined.Single(n => n.EndsWith("_huge.se"));
        Assert.Equal(bytes, (await app.Store.ReadAsync(Containers.Quarantine, copy)).Bytes);
        var report = System.Text.Encoding.UTF8.GetString((await app.Store.ReadAsync(Containers.Quarantine, copy + ".report.txt")).Bytes);
        Assert.Contains("The file is 4.9 KB; the largest file accepted is 2 KB. Export one month per file, or ask the controller.", report);
        Assert.Contains("[error]", report);
        Assert.Empty(await NamesAsync(app.Store, Containers.Landing));
        Assert.Empty(await NamesAsync(app.Store, Containers.Raw));
    }

    /// <summary>Every write to curated fails as an unavailable service would.</summary>
    private sealed class FaultyCurated(IBlobStore inner) : DelegatingBlobStore(inner)
    {
        private int _attempts;
        public int Attempts => _attempts;

        public override Task<BlobInfo> WriteAsync(string container, string name, ReadOnlyMemory<byte> content, WriteCondition condition, CancellationToken ct = default)
        {
            if (container != Containers.Curated || !name.StartsWith(CuratedLayout.Ledger + "/")) return base.WriteAsync(container, name, content, condition, ct);
            Interlocked.Increment(ref _attempts);
            throw new IOException("the storage service is unavailable");
        }
    }

    /// <summary>Counts reads of landing blobs.</summary>
    private sealed class ReadCounter(IBlobStore inner) : DelegatingBlobStore(inner)
    {
        public int LandingReads { get; private set; }

        public override Task<BlobContent> ReadAsync(string container, string name, CancellationToken ct = default)
        {
            if (container == Containers.Landing) LandingReads++;
            return base.ReadAsync(container, name, ct);
        }
    }
}
