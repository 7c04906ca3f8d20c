using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Blobs;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;

namespace Finsam.Pipeline.Tests.Ingestion;

/// <summary>
/// On Azurite: the originals that may hold identity numbers carry the index tag the storage account's lifecycle rule
/// expire-personal-originals selects on (participant exports and files of no known kind in raw/, rejected files in
/// quarantine/); ledgers, volume counts and reports do not.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PersonalTagTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Participant_exports_unknown_files_and_rejected_files_are_tagged_and_nothing_else()
    {
        var prefix = $"t{Guid.NewGuid():N}"[..12] + "-";
        var service = new BlobServiceClient(azurite.ConnectionString);
        var store = new AzureBlobStore(service, prefix);
        await Samples.SeedReferenceAsync(store);
        var files = new Dictionary<string, byte[]>
        {
            ["aspdalen/2025-01/deltagare.csv"] = Samples.File("aspdalen/2025-01/aspdalen_deltagare_202501.csv"),
            ["aspdalen/2025-01/huvudbok.se"] = Samples.File("aspdalen/2025-01/aspdalen_huvudbok_202501.se"),
            ["aspdalen/2025-01/volym.csv"] = Samples.File("aspdalen/2025-01/aspdalen_volym_202501.csv"),
            ["aspdalen/2025-01/anteckningar.txt"] = Encoding.UTF8.GetBytes("Möte med 19650617-5766\n"),
        };
        foreach (var (name, bytes) in files) await store.WriteAsync(Containers.Landing, name, bytes, WriteCondition.Overwrite);

        var summary = await new IngestionService(store, new Pseudonymizer(TestPersons.Key)).IngestAllAsync();

        Assert.Equal((3, 1), (summary.Accepted, summary.Rejected));
        async Task<string> TagsAsync(string container, string name) =>
            string.Join(",", (await service.GetBlobContainerClient(prefix + container).GetBlobClient(name).GetTagsAsync()).Value.Tags.Select(t => $"{t.Key}={t.Value}"));
        string Sha(string name) => Convert.ToHexStringLower(SHA256.HashData(files[name]));
        Assert.Equal("finsam-personal=yes", await TagsAsync(Containers.Raw, Sha("aspdalen/2025-01/deltagare.csv")));
        Assert.Equal("finsam-personal=yes", await TagsAsync(Containers.Raw, Sha("aspdalen/2025-01/anteckningar.txt")));
        Assert.Equal("", await TagsAsync(Containers.Raw, Sha("aspdalen/2025-01/huvudbok.se")));
        Assert.Equal("", await TagsAsync(Containers.Raw, Sha("aspdalen/2025-01/volym.csv")));
        var quarantine = await store.ListAsync(Containers.Quarantine).Select(b => b.Name).ToListAsync();
        Assert.Equal(3, quarantine.Count);
        foreach (var name in quarantine)
            Assert.Equal(name.EndsWith(".report.json") || name.EndsWith(".report.txt") ? "" : "finsam-personal=yes", await TagsAsync(Containers.Quarantine, name));
        Assert.Equal(OriginalsRetention.PersonalTag, new Dictionary<string, string> { ["finsam-personal"] = "yes" });
    }
}
