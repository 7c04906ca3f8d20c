using Finsam.Pipeline.Disclosure;
using Finsam.Pipeline.Functions.Tests.Support;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;
using Finsam.Pipeline.Versions;

namespace Finsam.Pipeline.Functions.Tests;

/// <summary>The timer's build-and-publish over the samples ingested through IngestLanding.</summary>
[Collection(AzuriteCollection.Name)]
public class ScheduledBuildTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task The_first_tick_publishes_the_controllers_v1_and_the_next_reports_unchanged()
    {
        var world = await PublishedApp.GetAsync(azurite);
        var versions = new DatasetVersions(world.App.Store);

        Assert.Equal([1], (await versions.ListAsync(PublishedLayout.CuratedDataset)).Select(m => m.Version));
        Assert.Equal(29, (await versions.ResolveAsync(PublishedLayout.CuratedDataset, "latest")).Inputs.Count);
        Assert.Contains(world.LogsAfterFirstTick, l => l.Contains("Build and publish: curated published v1"));
        Assert.DoesNotContain(world.LogsAfterFirstTick, l => l.Contains("kpi published"));
        Assert.Contains(world.LogsOfSecondTick, l => l.Contains("Build and publish: curated unchanged, nothing new since v1"));
        Assert.DoesNotContain(world.LogsOfSecondTick, l => l.Contains("published v"));
        Assert.Empty(await world.App.Store.ListAsync(Containers.Landing).ToListAsync());
    }

    [Fact]
    public async Task The_release_timer_cuts_the_members_v1_and_then_nothing_until_something_changes()
    {
        var world = await PublishedApp.GetAsync(azurite);
        var versions = new DatasetVersions(world.App.Store);

        Assert.Equal([1], (await versions.ListAsync(PublishedLayout.KpiDataset)).Select(m => m.Version));
        Assert.Equal(29, (await versions.ResolveAsync(PublishedLayout.KpiDataset, "latest")).Inputs.Count);
        // The release that publishes says how long it took (its seconds, here as "N").
        Assert.Equal(["Member release: kpi published v1 in N s", "Member release: kpi unchanged, nothing new since v1"],
            world.LogsOfReleases.Where(l => l.Contains("Member release: kpi")).Select(l => l[(l.IndexOf("Member release", StringComparison.Ordinal))..l.IndexOf(" [", StringComparison.Ordinal)])
                .Select(l => System.Text.RegularExpressions.Regex.Replace(l, @" in [0-9]+(\.[0-9])? s$", " in N s")));
        // What the release published is kept for later audits, outside the members' prefix and out of retention's reach.
        Assert.Equal([1], (await new ReleaseRecords(world.App.Store).ListAsync()).Select(m => m.Version));
    }
}
