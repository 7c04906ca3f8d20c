using Finsam.Pipeline.Disclosure;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;
using Finsam.Pipeline.Versions;

namespace Finsam.Pipeline.Tests.Publishing;

/// <summary>
/// Fault injection: a publish of v2 is made to fail at each of its writes in turn. After every failure,
/// latest still names a complete version, and a rerun finishes v2 without gaps or duplicates.
/// </summary>
public class PublishFaultTests
{
    /// <summary>Fails the n-th write to the published container (1-based); counts every write.</summary>
    private sealed class FailingStore(IBlobStore inner, int failAt) : DelegatingBlobStore(inner)
    {
        public int Writes { get; private set; }

        public override Task<BlobInfo> WriteAsync(string container, string name, ReadOnlyMemory<byte> content, WriteCondition condition, CancellationToken ct = default)
        {
            if (container == Containers.Published && ++Writes == failAt) throw new IOException($"Injected fault at write {failAt}: {name}");
            return base.WriteAsync(container, name, content, condition, ct);
        }
    }

    private static async Task ResetPublishedAsync(IBlobStore store, IReadOnlyList<BlobContent> snapshot)
    {
        var names = new List<string>();
        await foreach (var blob in store.ListAsync(Containers.Published)) names.Add(blob.Name);
        foreach (var name in names) await store.DeleteAsync(Containers.Published, name);
        foreach (var blob in snapshot) await store.WriteAsync(Containers.Published, blob.Info.Name, blob.Bytes, WriteCondition.IfNotExists);
    }

    [Fact]
    public async Task A_publish_failing_at_any_write_leaves_latest_complete_and_a_rerun_succeeds()
    {
        using var stores = new LocalStoreFactory();
        var store = stores.Create();
        using var world = await PublishWorld.SamplesAsync(store);
        var v1Build = await world.BuildAndPublishAsync();
        var snapshot = new List<BlobContent>();
        await foreach (var blob in store.ListAsync(Containers.Published)) snapshot.Add(await store.ReadAsync(Containers.Published, blob.Name));

        await world.ChangeEkstrandRentAsync();
        var v2Build = await world.BuildAsync();

        // A clean run counts the writes of publishing v2 (per dataset: the content claim, the files, the manifest, the pointer):
        // 14 member files; 13 controller tables and the DuckDB file; and the member release's record: why its rows are
        // suppressed, and its manifest (its two member files are copied inside the store, not written).
        var counter = new FailingStore(store, failAt: 0);
        await PublishWorld.PublishAsync(counter, v2Build);
        var writes = counter.Writes;
        Assert.Equal(2 * 3 + 14 + 14 + 2, writes);

        for (var failAt = 1; failAt <= writes; failAt++)
        {
            await ResetPublishedAsync(store, snapshot);
            var failing = new FailingStore(store, failAt);
            var error = await Assert.ThrowsAsync<IOException>(() => PublishWorld.PublishAsync(failing, v2Build));
            Assert.Contains($"Injected fault at write {failAt}", error.Message);
            foreach (var dataset in PublishedLayout.Datasets)
                Assert.InRange(await PublishedChecks.LatestCompleteAsync(store, dataset), 1, 2);

            var rerun = await PublishWorld.PublishAsync(store, v2Build);
            foreach (var dataset in PublishedLayout.Datasets)
            {
                Assert.Equal(2, await PublishedChecks.LatestCompleteAsync(store, dataset));
                Assert.Equal([1, 2], await PublishedChecks.VersionsAsync(store, dataset));
            }
            Assert.All(rerun.Datasets, d => Assert.Equal(2, d.Version));
            Assert.Equal([1, 2], (await new ReleaseRecords(store).ListAsync()).Select(m => m.Version));
        }
    }
}
