using Finsam.Pipeline.Functions.Tests.Support;
using Finsam.Pipeline.Publishing;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;

namespace Finsam.Pipeline.Functions.Tests;

/// <summary>The timer's build-and-publish over the samples ingested through IngestLanding.</summary>
[Collection(AzuriteCollection.Name)]
public class ScheduledBuildTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task The_first_tick_publishes_v1_and_the_next_reports_unchanged()
    {
        var world = await PublishedApp.GetAsync(azurite);
        var versions = new DatasetVersions(world.App.Store);

        Assert.Equal([1], (await versions.ListAsync(Publisher.KpiDataset)).Select(m => m.Version));
        Assert.Equal([1], (await versions.ListAsync(Publisher.CuratedDataset)).Select(m => m.Version));
        Assert.Equal(29, (await versions.ResolveAsync(Publisher.KpiDataset, "latest")).Inputs.Count);
        Assert.Contains(world.LogsAfterFirstTick, l => l.Contains("Build and publish: kpi published v1"));
        Assert.Contains(world.LogsOfSecondTick, l => l.Contains("Build and publish: unchanged, nothing new since the latest versions"));
        Assert.DoesNotContain(world.LogsOfSecondTick, l => l.Contains("published v"));
        Assert.Empty(await world.App.Store.ListAsync(Containers.Landing).ToListAsync());
    }
}
