using System.Text;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;

namespace Finsam.Pipeline.Tests.Storage;

/// <summary>The behaviour every backend must have; run against a local folder and a real Azurite.</summary>
public abstract class BlobStoreContractTests(IStoreFactory factory)
{
    private readonly IBlobStore _store = factory.Create();
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public async Task Written_bytes_read_back_with_the_same_etag()
    {
        var written = await _store.WriteAsync(Containers.Landing, "a/2025-01/f.csv", B("hello"), WriteCondition.Overwrite);
        var read = await _store.ReadAsync(Containers.Landing, "a/2025-01/f.csv");

        Assert.Equal("hello", Encoding.UTF8.GetString(read.Bytes));
        Assert.Equal(written.ETag, read.Info.ETag);
        Assert.Equal(5, (await _store.GetInfoAsync(Containers.Landing, "a/2025-01/f.csv"))!.Length);
    }

    [Fact]
    public async Task Missing_blob_reads_as_not_found()
    {
        await Assert.ThrowsAsync<BlobNotFoundException>(() => _store.ReadAsync(Containers.Raw, "nothing"));
        Assert.Null(await _store.GetInfoAsync(Containers.Raw, "nothing"));
        Assert.False(await _store.DeleteAsync(Containers.Raw, "nothing"));
        await Assert.ThrowsAsync<BlobNotFoundException>(() => _store.SetTagsAsync(Containers.Raw, "nothing", new Dictionary<string, string> { ["k"] = "v" }));
    }

    [Fact]
    public async Task Tagging_a_blob_leaves_its_bytes_and_etag()
    {
        var written = await _store.WriteAsync(Containers.Raw, "abc", B("hello"), WriteCondition.Overwrite);

        await _store.SetTagsAsync(Containers.Raw, "abc", new Dictionary<string, string> { ["finsam-personal"] = "yes" });

        var read = await _store.ReadAsync(Containers.Raw, "abc");
        Assert.Equal(("hello", written.ETag), (Encoding.UTF8.GetString(read.Bytes), read.Info.ETag));
    }

    [Fact]
    public async Task Create_only_write_succeeds_once()
    {
        await _store.WriteAsync(Containers.Published, "kpi/v1/manifest.json", B("1"), WriteCondition.IfNotExists);

        await Assert.ThrowsAsync<BlobConditionFailedException>(() =>
            _store.WriteAsync(Containers.Published, "kpi/v1/manifest.json", B("2"), WriteCondition.IfNotExists));
        Assert.Equal("1", Encoding.UTF8.GetString((await _store.ReadAsync(Containers.Published, "kpi/v1/manifest.json")).Bytes));
    }

    [Fact]
    public async Task If_match_write_fails_once_someone_else_has_written()
    {
        var first = await _store.WriteAsync(Containers.Published, "kpi/latest.json", B("v1"), WriteCondition.Overwrite);
        var second = await _store.WriteAsync(Containers.Published, "kpi/latest.json", B("v2"), WriteCondition.IfMatch(first.ETag));

        await Assert.ThrowsAsync<BlobConditionFailedException>(() =>
            _store.WriteAsync(Containers.Published, "kpi/latest.json", B("v3"), WriteCondition.IfMatch(first.ETag)));
        Assert.NotEqual(first.ETag, second.ETag);
        Assert.Equal("v2", Encoding.UTF8.GetString((await _store.ReadAsync(Containers.Published, "kpi/latest.json")).Bytes));
    }

    [Fact]
    public async Task Conditional_delete_keeps_a_blob_that_changed()
    {
        var first = await _store.WriteAsync(Containers.Landing, "a/2025-01/f.csv", B("old"), WriteCondition.Overwrite);
        await Task.Delay(20);
        var second = await _store.WriteAsync(Containers.Landing, "a/2025-01/f.csv", B("new!"), WriteCondition.Overwrite);

        await Assert.ThrowsAsync<BlobConditionFailedException>(() => _store.DeleteAsync(Containers.Landing, "a/2025-01/f.csv", first.ETag));
        Assert.True(await _store.DeleteAsync(Containers.Landing, "a/2025-01/f.csv", second.ETag));
        Assert.Null(await _store.GetInfoAsync(Containers.Landing, "a/2025-01/f.csv"));
    }

    [Fact]
    public async Task Listing_is_by_prefix_in_name_order()
    {
        foreach (var name in new[] { "b/2025-02/x", "a/2025-01/y", "a/2025-01/x", "ab/2025-01/z", "top" })
            await _store.WriteAsync(Containers.Landing, name, B(name), WriteCondition.Overwrite);

        var listed = await _store.ListAsync(Containers.Landing).ToListAsync();
        var underA = await _store.ListAsync(Containers.Landing, "a/").Select(b => b.Name).ToListAsync();

        Assert.Equal(["a/2025-01/x", "a/2025-01/y", "ab/2025-01/z", "b/2025-02/x", "top"], listed.Select(b => b.Name));
        Assert.Equal(["a/2025-01/x", "a/2025-01/y"], underA);
        // A listed blob has the ETag (Azure lists it without the quotes its info gives) and length its own info gives, and a
        // read on the condition of its listed ETag holds.
        foreach (var blob in listed)
        {
            var info = await _store.GetInfoAsync(Containers.Landing, blob.Name);
            Assert.Equal((info!.ETag.Trim('"'), info.Length), (blob.ETag.Trim('"'), blob.Length));
            Assert.Equal(B(blob.Name), (await _store.ReadVersionAsync(Containers.Landing, blob.Name, blob.ETag)).Bytes);
        }
        Assert.Empty(await _store.ListAsync(Containers.Quarantine).ToListAsync());
    }

    [Fact]
    public async Task Concurrent_create_only_writes_have_exactly_one_winner()
    {
        var attempts = Enumerable.Range(0, 8).Select(async i =>
        {
            try
            {
                await _store.WriteAsync(Containers.Published, "kpi/v7/manifest.json", B($"writer {i}"), WriteCondition.IfNotExists);
                return 1;
            }
            catch (BlobConditionFailedException)
            {
                return 0;
            }
        });

        Assert.Equal(1, (await Task.WhenAll(attempts)).Sum());
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a//b")]
    [InlineData("a/./b")]
    [InlineData("")]
    public async Task Unsafe_names_are_refused(string name) =>
        await Assert.ThrowsAsync<ArgumentException>(() => _store.WriteAsync(Containers.Landing, name, B("x"), WriteCondition.Overwrite));
}

public sealed class LocalFolderBlobStoreTests() : BlobStoreContractTests(new LocalStoreFactory())
{
    [Fact]
    public async Task A_reader_never_sees_a_half_written_file()
    {
        using var folder = new TempFolder();
        var store = new LocalFolderBlobStore(folder.Path);
        var small = new byte[1024];
        var large = Enumerable.Repeat((byte)1, 4 * 1024 * 1024).ToArray();
        await store.WriteAsync(Containers.Curated, "x/data.parquet", small, WriteCondition.Overwrite);

        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
                await store.WriteAsync(Containers.Curated, "x/data.parquet", i % 2 == 0 ? large : small, WriteCondition.Overwrite);
        });
        var lengths = new HashSet<int>();
        while (!writer.IsCompleted) lengths.Add((await store.ReadAsync(Containers.Curated, "x/data.parquet")).Bytes.Length);
        await writer;

        Assert.Subset(new HashSet<int> { small.Length, large.Length }, lengths);
        Assert.Empty(await store.ListAsync(Containers.Curated).Where(b => b.Name.Contains(".tmp")).ToListAsync());
    }
}

[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobStoreTests(AzuriteFixture azurite) : BlobStoreContractTests(new AzuriteStoreFactory(azurite));
