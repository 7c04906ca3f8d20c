using Finsam.Pipeline.Functions.Tests.Support;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;
using Finsam.Pipeline.Versions;
using Microsoft.Azure.Functions.Worker;

namespace Finsam.Pipeline.Functions.Tests;

/// <summary>
/// The timer takes in what its event did not bring: a file in landing for more than half an hour (an event lost,
/// dead-lettered, or poisoned before its cause was fixed) is ingested and published with no one re-driving it.
/// </summary>
[Collection(AzuriteCollection.Name)]
public class LeftBehindTests(AzuriteFixture azurite)
{
    private const string Ledger = "aspdalen/2025-01/aspdalen_huvudbok_202501.se";

    /// <summary>The system's clock, moved on: the file just written looks as old as the shift.</summary>
    private sealed class LaterClock(TimeSpan later) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + later;
    }

    private static async Task<FunctionsApp> AppWithFileInLandingAsync(AzuriteFixture azurite, TimeSpan later)
    {
        var app = new FunctionsApp(azurite, clock: new LaterClock(later));
        await Samples.SeedReferenceAsync(app.Store);
        await app.Store.WriteAsync(Containers.Landing, Ledger, Samples.File(Ledger), WriteCondition.Overwrite);
        return app;
    }

    [Fact]
    public async Task A_file_its_event_did_not_bring_in_is_ingested_and_published_by_the_next_tick()
    {
        using var app = await AppWithFileInLandingAsync(azurite, TimeSpan.FromMinutes(31));

        await app.Function<ScheduledBuild>().Run(new TimerInfo(), CancellationToken.None);

        Assert.Empty(await app.Store.ListAsync(Containers.Landing).ToListAsync());
        Assert.Equal(["accepted"], (await new IngestionLog(app.Store).AllEntriesAsync(CancellationToken.None)).Select(e => e.Status));
        var published = await new DatasetVersions(app.Store).ResolveAsync(PublishedLayout.CuratedDataset, "latest");
        Assert.Equal(1, published.Version);
        Assert.Equal(["aspdalen 2025-01"], published.Inputs.Select(i => $"{i.Federation} {i.Period}"));
        Assert.Contains(app.Logs.Lines, l => l.Contains(
            "1 file(s) had been in landing for more than 30 minutes without their event: 1 taken in now, 0 still failing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_file_younger_than_half_an_hour_is_left_to_its_event()
    {
        using var app = await AppWithFileInLandingAsync(azurite, TimeSpan.FromMinutes(29));

        await app.Function<ScheduledBuild>().Run(new TimerInfo(), CancellationToken.None);

        Assert.Equal([Ledger], await app.Store.ListAsync(Containers.Landing).Select(b => b.Name).ToListAsync());
        Assert.Empty(await new IngestionLog(app.Store).AllEntriesAsync(CancellationToken.None));
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains("without their event", StringComparison.Ordinal));
    }
}
