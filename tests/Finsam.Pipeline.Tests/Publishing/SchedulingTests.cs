using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Curated;
using Finsam.Pipeline.Disclosure;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Publishing;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;
using Finsam.Pipeline.Versions;
using Microsoft.Extensions.Options;

namespace Finsam.Pipeline.Tests.Publishing;

/// <summary>
/// The scheduled jobs: the shortcut that ends a run with nothing new at once (and only then), the time each job logs and the
/// warning when it nears the Functions timeout, two builds that meet in one work folder, and member releases kept for the audit
/// even when retention removes them.
/// </summary>
public class SchedulingTests : IDisposable
{
    private readonly LocalStoreFactory _stores = new();
    private readonly TempFolder _work = new();

    public void Dispose()
    {
        _loggers.Dispose();
        _stores.Dispose();
        _work.Dispose();
    }

    private readonly CapturedLogs _logs = new();
    private readonly Microsoft.Extensions.Logging.LoggerFactory _loggers;

    public SchedulingTests() => _loggers = new Microsoft.Extensions.Logging.LoggerFactory([_logs]);

    private (BuildAndPublish Job, ModelOptions Options) Job(IBlobStore store, int? keepLast = null, ParticipantYears years = ParticipantYears.YearToDate,
        TimeSpan? slowAfter = null, string? queries = null)
    {
        var options = new ModelOptions(queries ?? Path.Combine(RepoPaths.Root, "queries"), _work.Path) { Threads = 2 };
        var settings = Options.Create(new FinsamOptions { Publishing = { KeepLast = keepLast, ParticipantYears = years.ToString() } });
        var job = new BuildAndPublish(store, new Publisher(store, participantYears: years), new ModelBuilder(store, options), settings,
            new Microsoft.Extensions.Logging.Logger<BuildAndPublish>(_loggers)) { SlowAfter = slowAfter ?? BuildAndPublish.DefaultSlowAfter };
        return (job, options);
    }

    [Fact]
    public async Task Nothing_new_ends_at_once_but_any_change_to_a_partition_builds_again()
    {
        var store = _stores.Create();
        await Samples.IngestAllAsync(store);
        var (job, _) = Job(store);
        var steps = new List<string>();
        var progress = new SynchronousProgress<string>(steps.Add);

        Assert.Equal(BuildAndPublishStatus.Published, (await job.RunAsync(progress)).Status);
        Assert.Contains(steps, s => s.StartsWith("built "));
        steps.Clear();
        Assert.Equal(BuildAndPublishStatus.Unchanged, (await job.RunAsync(progress)).Status);
        Assert.DoesNotContain(steps, s => s.StartsWith("built "));

        // A partition removed by hand (not through ingestion, so the ingestion log does not change) is seen: the run builds,
        // and the new version lacks that month.
        await store.DeleteAsync(Containers.Curated, CuratedLayout.Partition(CuratedLayout.Registrations, "granmo", "2025-03") + "data.parquet");
        var after = await job.RunAsync(progress);
        Assert.Contains(steps, s => s.StartsWith("built "));
        Assert.Equal((BuildAndPublishStatus.Published, 2), (after.Status, after.Publication!.Datasets.Single().Version));
        // The timer's log says what the build computed: Granmo alone, and the levels' participant marts for its year.
        Assert.Equal(
            ["Build and publish: Models built per federation: 4 federation(s) computed (4 federation-year(s)), 0 kept from the last build (0 federation-year(s)). " +
             "Models built per year: 1 year(s) computed (2025), 0 kept from the last build.",
             "Build and publish: Models built per federation: 1 federation(s) computed (1 federation-year(s)), 3 kept from the last build (3 federation-year(s)). " +
             "Models built per year: 1 year(s) computed (2025), 0 kept from the last build."],
            _logs.Entries.Where(e => e.Message.Contains("Models built per federation", StringComparison.Ordinal)).Select(e => e.Message));
        Assert.DoesNotContain(after.Publication.Datasets.Single().Manifest.Inputs, i => i is { Federation: "granmo", Period: "2025-03", Kind: "participants" });

        // An export accepted with no rows changes a partition as well: built again, then nothing new.
        steps.Clear();
        await store.WriteAsync(Containers.Landing, "granmo/2025-03/deltagare.csv",
            System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(Samples.File("granmo/2025-03/granmo_deltagare_202503.csv")).Split('\n')[0] + "\n"), WriteCondition.Overwrite);
        await new Finsam.Pipeline.Ingestion.IngestionService(store, new Finsam.Pipeline.Privacy.Pseudonymizer(TestPersons.Key)).IngestAllAsync();
        await job.RunAsync(progress);
        Assert.Contains(steps, s => s.StartsWith("built "));
        steps.Clear();
        Assert.Equal(BuildAndPublishStatus.Unchanged, (await job.RunAsync(progress)).Status);
        Assert.DoesNotContain(steps, s => s.StartsWith("built "));
    }

    [Fact]
    public async Task A_job_logs_how_long_it_took_and_warns_when_it_nears_the_functions_timeout_naming_complete_years_for_releases_of_the_year_to_date()
    {
        var store = _stores.Create();
        await Samples.IngestAllAsync(store);

        // Jobs of seconds, as the samples' are: their time in the line that names the version, and no warning.
        var (job, _) = Job(store);
        Assert.Equal(BuildAndPublishStatus.Published, (await job.RunAsync()).Status);
        var published = Assert.Single(_logs.Entries, e => e.Message.StartsWith("Build and publish: curated published v1 in ", StringComparison.Ordinal));
        Assert.InRange((double)published.Values["Seconds"]!, 0.1, 600);
        Assert.DoesNotContain(_logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
        // The warning comes at a third of the Functions host's limit.
        var host = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "host.json"))).RootElement;
        Assert.Equal(TimeSpan.Parse(host.GetProperty("functionTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            3 * BuildAndPublish.DefaultSlowAfter);

        // As if they had taken ten minutes: a member release of the year to date names what keeps a year's releases short.
        (job, _) = Job(store, slowAfter: TimeSpan.Zero);
        Assert.Equal(BuildAndPublishStatus.Published, (await job.ReleaseAsync()).Status);
        var warning = Assert.Single(_logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.StartsWith("Member release took ", warning.Message);
        Assert.Contains(" minutes. On a Functions host a job is stopped after 30 minutes (functionTimeout in host.json), and a stopped job publishes " +
                        "nothing. A release of the year to date is audited together with every earlier release, so releases take longer through the " +
                        "year, and each one after a stopped release is larger still. With Finsam__Publishing__ParticipantYears = CompleteYears the " +
                        "releases of a year do not add up this way (docs/operations.md, Sizing).", warning.Message);

        // A build of the controller's dataset, or a release that publishes complete years only: the limit alone.
        var other = _stores.Create();
        await Samples.IngestAllAsync(other);
        foreach (var (years, run) in new (ParticipantYears, Func<BuildAndPublish, Task<BuildAndPublishResult>>)[]
                 {
                     (ParticipantYears.YearToDate, j => j.RunAsync()),
                     (ParticipantYears.CompleteYears, j => j.ReleaseAsync()),
                 })
        {
            var before = _logs.Entries.Count;
            (job, _) = Job(other, years: years, slowAfter: TimeSpan.Zero);
            Assert.Equal(BuildAndPublishStatus.Published, (await run(job)).Status);
            warning = Assert.Single(_logs.Entries.Skip(before), e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
            Assert.EndsWith(" minutes. On a Functions host a job is stopped after 30 minutes (functionTimeout in host.json), and a stopped job " +
                            "publishes nothing (docs/operations.md, Sizing).", warning.Message);
        }

        // A job whose assertion fails publishes nothing, and is timed all the same.
        using var queries = new TempFolder();
        RepoPaths.CopyQueries(queries.Path);
        File.WriteAllText(Path.Combine(queries.Path, "assertions", "assert_never_holds.sql"), "select 1 as row_that_fails");
        var beforeFailure = _logs.Entries.Count;
        (job, _) = Job(other, slowAfter: TimeSpan.Zero, queries: queries.Path);
        Assert.Equal(BuildAndPublishStatus.AssertionsFailed, (await job.RunAsync()).Status);
        Assert.EndsWith(" minutes. On a Functions host a job is stopped after 30 minutes (functionTimeout in host.json), and a stopped job publishes " +
                        "nothing (docs/operations.md, Sizing).", Assert.Single(_logs.Entries.Skip(beforeFailure), e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning).Message);
    }

    [Fact]
    public async Task A_build_and_a_release_at_the_same_moment_in_one_work_folder_both_succeed()
    {
        var store = _stores.Create();
        await Samples.IngestAllAsync(store);
        var (job, _) = Job(store);

        var results = await Task.WhenAll(Task.Run(() => job.RunAsync()), Task.Run(() => job.ReleaseAsync()));

        Assert.All(results, r => Assert.Equal(BuildAndPublishStatus.Published, r.Status));
        Assert.Equal([1], await PublishedChecks.VersionsAsync(store, PublishedLayout.CuratedDataset));
        Assert.Equal([1], await PublishedChecks.VersionsAsync(store, PublishedLayout.KpiDataset));
        Assert.Equal(1, await PublishedChecks.LatestCompleteAsync(store, PublishedLayout.KpiDataset));
    }

    [Fact]
    public async Task A_release_retention_removes_stays_recorded_even_when_its_record_was_never_written()
    {
        var store = _stores.Create();
        using var world = await PublishWorld.SamplesAsync(store);
        var (job, _) = Job(store, keepLast: 1);
        Assert.Equal(BuildAndPublishStatus.Published, (await job.ReleaseAsync()).Status);
        // As if the run had stopped between committing v1 and recording it.
        foreach (var name in await store.ListAsync(Containers.Published, ReleaseRecords.Prefix).Select(b => b.Name).ToListAsync())
            await store.DeleteAsync(Containers.Published, name);

        await world.ChangeEkstrandRentAsync();
        Assert.Equal(BuildAndPublishStatus.Published, (await job.ReleaseAsync()).Status);

        Assert.Equal([2], await PublishedChecks.VersionsAsync(store, PublishedLayout.KpiDataset));
        Assert.Equal([1, 2], (await new ReleaseRecords(store).ListAsync()).Select(m => m.Version));
        using var folder = new TempFolder();
        var files = await new ReleaseRecords(store).DownloadKpiFilesAsync(folder.Path);
        Assert.Equal(["v1/kpi.parquet", "v2/kpi.parquet"], files.Select(f => Path.GetRelativePath(folder.Path, f)));
    }
}
