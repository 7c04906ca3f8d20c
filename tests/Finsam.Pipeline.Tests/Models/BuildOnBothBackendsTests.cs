using Finsam.Pipeline.Models;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;

namespace Finsam.Pipeline.Tests.Models;

/// <summary>The samples, ingested and built on a local folder and on a real Azurite, give the same KPIs.</summary>
[Collection(AzuriteCollection.Name)]
public class BuildOnBothBackendsTests(AzuriteFixture azurite)
{
    private static async Task<List<string>> KpisAsync(IBlobStore store, TempFolder work)
    {
        await Samples.IngestAllAsync(store);
        using var build = await ModelBuild.RunAsync(store, new ModelOptions(Path.Combine(RepoPaths.Root, "queries"), work.Path) { Threads = 2 });
        Assert.Empty(build.AssertionFailures);
        await build.SaveOutputsAsync(store, work.Path);
        Assert.NotNull(await store.GetInfoAsync(Containers.Curated, "models/kpi.parquet"));
        return build.Session.Query("select kpi_id, scope_id, period, kon, dimension, cast(value as varchar) from kpi order by all")
            .Rows.Select(r => string.Join('|', r)).ToList();
    }

    [Fact]
    public async Task Local_folder_and_Azure_blob_storage_give_the_same_kpis()
    {
        using var localWork = new TempFolder();
        using var azureWork = new TempFolder();
        var local = new LocalStoreFactory();

        var fromLocal = await KpisAsync(local.Create(), localWork);
        var fromAzure = await KpisAsync(new AzuriteStoreFactory(azurite).Create(), azureWork);

        Assert.True(fromLocal.Count > 500);
        Assert.Equal(fromLocal, fromAzure);
        Assert.Contains("medelstilldelning|aspdalen|2025|T||1200000.000000", fromLocal);
        local.Dispose();
    }

    [Fact]
    public async Task A_new_host_on_Azure_fetches_the_compacted_files_the_first_one_shared()
    {
        using var firstHost = new TempFolder();
        using var newHost = new TempFolder();
        var store = new AzuriteStoreFactory(azurite).Create();
        await Samples.IngestAllAsync(store);
        var options = (TempFolder work) => new ModelOptions(Path.Combine(RepoPaths.Root, "queries"), work.Path) { Threads = 2 };

        using var first = await ModelBuild.RunAsync(store, options(firstHost));
        using var second = await ModelBuild.RunAsync(store, options(newHost));
        first.Dispose();
        using var again = await ModelBuild.RunAsync(store, options(firstHost));

        Assert.Equal(new CuratedCache.SyncResult(0, 0, 14, 41, 0, 5), first.CacheSync);
        Assert.Equal(new CuratedCache.SyncResult(0, 14, 0, 0, 0, 5), second.CacheSync);
        // Nothing changed: nothing fetched, the reference files neither (Azure lists an ETag without the quotes a read gives).
        Assert.Equal(new CuratedCache.SyncResult(14, 0, 0, 0, 0, 0), again.CacheSync);
        const string kpis = "select kpi_id, scope_id, period, kon, dimension, cast(value as varchar) from kpi order by all";
        Assert.Equal(again.Session.Query(kpis).Rows.Select(r => string.Join('|', r)), second.Session.Query(kpis).Rows.Select(r => string.Join('|', r)));
    }
}
