using System.Text;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;
using Finsam.Pipeline.Versions;

namespace Finsam.Pipeline.Tests.Publishing;

/// <summary>Old versions stay readable until the retention rule removes them — never the latest, never one a pointer names.</summary>
public class RetentionTests : IDisposable
{
    private readonly LocalStoreFactory _stores = new();

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static DatasetRelease Release(int i) => new(
        "kpi", [new PublicationFile("data.txt", Encoding.UTF8.GetBytes($"content {i}"))], _ => [],
        [], [], [], new QualitySummary(0, 0, []), "test");

    private async Task<IBlobStore> FiveVersionsAsync()
    {
        var store = _stores.Create();
        for (var i = 1; i <= 5; i++) Assert.Equal(i, (await new VersionCommitter(store).CommitAsync(Release(i))).Version);
        return store;
    }

    [Fact]
    public async Task Without_a_rule_every_version_is_kept_and_readable()
    {
        var store = await FiveVersionsAsync();
        var result = await new Retention(store).ApplyAsync("kpi", RetentionPolicy.KeepEverything);
        Assert.Empty(result.RemovedVersions);
        var versions = new DatasetVersions(store);
        for (var i = 1; i <= 5; i++)
            Assert.Equal($"content {i}", Encoding.UTF8.GetString(await versions.ReadFileAsync(await versions.ResolveAsync("kpi", $"v{i}"), "data.txt")));
    }

    [Fact]
    public async Task Keep_last_two_removes_older_versions_but_not_one_a_pointer_names()
    {
        var store = await FiveVersionsAsync();
        // The controller pins v1 (e.g. the figures behind the annual report).
        var pin = new VersionPointer("kpi", 1, PublishedLayout.Manifest("kpi", 1), DateTimeOffset.UtcNow);
        await store.WriteAsync(Containers.Published, PublishedLayout.Pointer("kpi", "arsredovisning-2025"), pin.ToBytes(), WriteCondition.IfNotExists);

        var result = await new Retention(store).ApplyAsync("kpi", new RetentionPolicy(KeepLast: 2));
        Assert.Equal([2, 3], result.RemovedVersions);
        Assert.Equal([1, 4, 5], await PublishedChecks.VersionsAsync(store, "kpi"));
        Assert.Equal(5, await PublishedChecks.LatestCompleteAsync(store, "kpi"));
        var removed = new List<string>();
        await foreach (var blob in store.ListAsync(Containers.Published, "kpi/v2/")) removed.Add(blob.Name);
        Assert.Empty(removed);
        var error = await Assert.ThrowsAsync<PublishingException>(() => new DatasetVersions(store).ResolveAsync("kpi", "2"));
        Assert.Contains("Version 2 of 'kpi' does not exist", error.Message);
    }

    [Fact]
    public async Task Keep_for_an_age_removes_older_versions_but_never_the_latest()
    {
        var store = await FiveVersionsAsync();
        var tomorrow = new Clock(DateTimeOffset.UtcNow.AddDays(1));
        Assert.Empty((await new Retention(store, tomorrow).ApplyAsync("kpi", new RetentionPolicy(KeepFor: TimeSpan.FromDays(2)))).RemovedVersions);
        Assert.Equal([1, 2, 3, 4], (await new Retention(store, tomorrow).ApplyAsync("kpi", new RetentionPolicy(KeepFor: TimeSpan.FromHours(12)))).RemovedVersions);
        Assert.Equal([5], await PublishedChecks.VersionsAsync(store, "kpi"));
        // Numbers stay monotonic after retention: the next version is 6.
        Assert.Equal(6, (await new VersionCommitter(store).CommitAsync(Release(6))).Version);
    }

    public void Dispose() => _stores.Dispose();
}
