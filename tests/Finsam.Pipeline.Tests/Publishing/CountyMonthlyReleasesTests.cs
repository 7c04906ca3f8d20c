using System.Diagnostics;
using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Publishing;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;
using Finsam.Pipeline.Versions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Finsam.Pipeline.Tests.Publishing;

/// <summary>
/// Member releases of the county (<see cref="CountyData"/>) on the default calendar: the federations deliver a month, a release
/// is cut, and so on. Each release is protected and audited together with every earlier one, as readers have them all.
/// </summary>
public sealed class CountyMonthlyReleasesTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Three_monthly_releases_each_pass_their_audit_with_every_earlier_release()
    {
        var store = new LocalFolderBlobStore(Path.Combine(_folder.Path, "storage"));
        await CountyData.WriteReferenceAsync(store);
        var options = new ModelOptions(RepoPaths.Queries, Path.Combine(_folder.Path, "work")) { Threads = 2 };
        var job = new BuildAndPublish(store, new Publisher(store), new ModelBuilder(store, options), Options.Create(new FinsamOptions()));
        for (var month = 1; month <= 3; month++)
        {
            var delivered = await CountyData.DeliverAsync(store, month, month);
            Assert.Equal(delivered, (await new IngestionService(store, new Pseudonymizer(TestPersons.Key)).IngestAllAsync()).Accepted);
            var clock = Stopwatch.StartNew();
            Assert.Equal(BuildAndPublishStatus.Published, (await job.ReleaseAsync()).Status);
            var audit = (await new DatasetVersions(store).ReadManifestAsync(PublishedLayout.KpiDataset, month))!.DisclosureAudit!;
            // The time, for the record (docs/benchmarks.md, "Monthly member releases"); never asserted.
            output.WriteLine($"2025-{month:00}: released in {clock.Elapsed.TotalSeconds:F1} s, {audit.SuppressedCells} suppressed cells, " +
                             $"audited with {audit.EarlierReleases} earlier release(s)");
            Assert.True(audit.Passed);
            Assert.Equal(month - 1, audit.EarlierReleases);
        }
    }

    public void Dispose() => _folder.Dispose();
}
