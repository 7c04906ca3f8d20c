using System.Text;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;
using Finsam.Pipeline.Versions;

namespace Finsam.Pipeline.Tests.Publishing;

/// <summary>Concurrent publishers on a real Azurite (and the commit protocol on both backends): no lost, duplicated or half-written version.</summary>
[Collection(AzuriteCollection.Name)]
public class PublishConcurrencyTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Two_publishers_at_once_against_azurite_give_exactly_one_new_version_per_change()
    {
        var store = new AzuriteStoreFactory(azurite).Create();
        using var world = await PublishWorld.SamplesAsync(store);

        for (var round = 1; round <= 2; round++)
        {
            if (round == 2) await world.ChangeEkstrandRentAsync();
            var a = await world.BuildAsync();
            var b = await world.BuildAsync();
            var results = await Task.WhenAll(PublishWorld.PublishAsync(store, a), PublishWorld.PublishAsync(store, b));
            foreach (var dataset in PublishedLayout.Datasets)
            {
                var outcomes = results.Select(r => r.Datasets.Single(d => d.Dataset == dataset)).ToList();
                Assert.All(outcomes, o => Assert.Equal(round, o.Version));
                Assert.Single(outcomes, o => o.Created);
                Assert.Equal(Enumerable.Range(1, round), await PublishedChecks.VersionsAsync(store, dataset));
                Assert.Equal(round, await PublishedChecks.LatestCompleteAsync(store, dataset));
            }
        }
    }

    public static TheoryData<string> Backends => ["local", "azurite"];

    private IBlobStore Create(string backend, LocalStoreFactory local) => backend == "local" ? local.Create() : new AzuriteStoreFactory(azurite).Create();

    private static DatasetRelease Release(string content) => new(
        "kpi",
        [new PublicationFile("data.txt", Encoding.UTF8.GetBytes(content), Rows: 1)],
        version => [new PublicationFile("about.txt", Encoding.UTF8.GetBytes($"version {version}"), VersionDependent: true)],
        [new ManifestInput("alfa", "2025-01", "ledger", content.GetHashCode().ToString("x8"), null)],
        [], [], new QualitySummary(0, 0, []), "test");

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Eight_publishers_of_the_same_content_commit_one_version(string backend)
    {
        using var local = new LocalStoreFactory();
        var store = Create(backend, local);
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => new VersionCommitter(store).CommitAsync(Release("same")))));
        Assert.All(results, r => Assert.Equal(1, r.Version));
        Assert.Single(results, r => r.Created);
        Assert.Equal([1], await PublishedChecks.VersionsAsync(store, "kpi"));
        Assert.Equal(1, await PublishedChecks.LatestCompleteAsync(store, "kpi"));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Eight_publishers_of_different_content_commit_eight_versions_and_latest_is_the_highest(string backend)
    {
        using var local = new LocalStoreFactory();
        var store = Create(backend, local);
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => new VersionCommitter(store).CommitAsync(Release($"content {i}")))));
        Assert.All(results, r => Assert.True(r.Created));
        Assert.Equal(Enumerable.Range(1, 8), results.Select(r => r.Version).Order());
        Assert.Equal(Enumerable.Range(1, 8), await PublishedChecks.VersionsAsync(store, "kpi"));
        Assert.Equal(8, await PublishedChecks.LatestCompleteAsync(store, "kpi"));
        var versions = new DatasetVersions(store);
        foreach (var result in results)
        {
            var manifest = await versions.ResolveAsync("kpi", result.Version.ToString());
            Assert.Equal(result.Manifest.ContentSha256, manifest.ContentSha256);
            Assert.Equal($"version {result.Version}", Encoding.UTF8.GetString(await versions.ReadFileAsync(manifest, "about.txt")));
        }
    }
}
