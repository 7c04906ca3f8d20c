using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Disclosure;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Publishing;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;
using Finsam.Pipeline.Versions;
using Microsoft.Extensions.Options;

namespace Finsam.Pipeline.Tests.Publishing;

/// <summary>
/// What a member release hid is kept in its record, for the audit of every later release: a count known to be 0 or 5 and
/// more needs no interval, and the relations between releases hold on the values it knows. The case: a release cut
/// while a delivery is still arriving (issue 18: such a release once made every later one refuse; before the record, the
/// next release took minutes to protect on the samples).
/// </summary>
public class HiddenCountsRecordTests : IDisposable
{
    private static readonly string Queries = Path.Combine(RepoPaths.Root, "queries");
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static bool Ahead(string name) => name.Contains("/2025-01/") || name.StartsWith("aspdalen/", StringComparison.Ordinal) || name.StartsWith("bjorkvik/", StringComparison.Ordinal);

    private static async Task DropAsync(IBlobStore store, Func<string, bool> which)
    {
        foreach (var (name, bytes) in Samples.LandingFiles().Where(f => which(f.Name)))
            await store.WriteAsync(Containers.Landing, name, bytes, WriteCondition.Overwrite);
        var summary = await new IngestionService(store, new Pseudonymizer(TestPersons.Key)).IngestAllAsync();
        Assert.All(summary.Files, f => Assert.Equal(FileStatus.Accepted, f.Status));
    }

    /// <summary>The first release (its record read) and the exact version after it, as an audit draws them.</summary>
    private static CellGraph AfterTheFirstRelease(ModelBuild build, string earlierKpi)
    {
        var graph = DisclosureAudit.NewGraph(build.Session, Queries);
        DisclosureAudit.AddEarlier(graph, DisclosureAudit.ReadEarlier(build.Session, [earlierKpi]));
        graph.AddVersion("ny", DisclosureAudit.ReadRows(build.Session, "kpi"), exact: true);
        DisclosureAudit.LinkCandidate(graph, 1);
        return graph;
    }

    /// <summary>
    /// The relations between the first release (its record read) and the exact version after it, as an audit draws them,
    /// checked on the exact values wherever the publisher knows them all: a false one would mislead the audit.
    /// </summary>
    private static void AssertRelationsBetweenReleasesHold(ModelBuild build, string earlierKpi)
    {
        var graph = AfterTheFirstRelease(build, earlierKpi);
        var hiddenInFirst = graph.Nodes.Count(n => n.Version == 0 && !n.Hidden && !n.Published);
        Assert.True(hiddenInFirst > 100, $"{hiddenInFirst} counts hidden in the first release");
        Assert.Equal(hiddenInFirst, graph.Nodes.Count(n => n.Version == 0 && !n.Hidden && !n.Published && n.Value is not null));
        var between = graph.Constraints.Where(c => c.Terms.Any(t => graph.Nodes[t.Node].Version == 0) && c.Terms.Any(t => graph.Nodes[t.Node].Version == 1)).ToList();
        var known = between.Where(c => c.Terms.All(t => graph.Nodes[t.Node].Value is not null)).ToList();
        Assert.True(known.Count > 50, $"{known.Count} relations between the releases with every value known");
        Assert.All(known, c => Assert.True(c.Terms.Sum(t => t.Coefficient * graph.Nodes[t.Node].Value!.Value) == 0, c.Describe(graph.Nodes, graph.VersionLabels)));
    }

    /// <summary>
    /// The audit decides counts and changes from the values that solutions it already solved give them, and a round of the
    /// choice of complements checks only the counts that failed the round before: with only the counts from 1 to 4 of the version
    /// after the first release hidden, each finds what the programmes of every count and change find.
    /// </summary>
    private static void AssertTheAuditsShortcutsFindWhatItsProgrammesFind(ModelBuild build, string earlierKpi)
    {
        var graph = AfterTheFirstRelease(build, earlierKpi);
        foreach (var node in graph.Nodes.Where(n => n.Version == graph.CandidateVersion && !n.Hidden)) node.Published = node.Value is not (>= 1 and < 5);
        // The binding relations are left out: where a programme is degenerate, more than one set binds.
        static List<string> Found(IntervalAudit.Outcome outcome) =>
            outcome.Failures.Select(f => f.Failure with { Relations = [] }).Select(f => f.ToString()).Order(StringComparer.Ordinal).ToList();
        using var programmes = new IntervalAudit(graph, exact: true) { DecideFromSolutions = false };
        var expected = Found(programmes.Run());
        Assert.Contains(expected, f => f.Contains("its change since an earlier release", StringComparison.Ordinal));
        Assert.Contains(expected, f => !f.Contains("since an earlier release", StringComparison.Ordinal));
        using var shortcuts = new IntervalAudit(graph, exact: true);
        var outcome = shortcuts.Run();
        Assert.Equal(expected, Found(outcome));
        Assert.True(shortcuts.Solves < programmes.Solves, $"{shortcuts.Solves} solves with the shortcuts, {programmes.Solves} without");
        var failed = outcome.Failures.Select(f => f.Node).ToHashSet();
        using var round = new IntervalAudit(graph, exact: true, IntervalAudit.Around(graph, SecondarySuppression.Adjacency(graph), IntervalAudit.Partners(graph), failed), only: failed);
        Assert.Equal(expected, Found(round.Run()));
    }

    /// <summary>
    /// Step 6 with no budget for rows without a total: those rows stay hidden and are counted, and the release passes. Then
    /// each of them tried in turn, as step 6 would: one audit made before the trials, fixing what each trial publishes, judges
    /// every trial as a new audit of the trial's region does (some pass, some fail), judged by the linear programmes alone
    /// (the first pass of step 6) or with the integer programmes (its second).
    /// </summary>
    private static void AssertTrialsOfOneAuditJudgeAsNewAudits(ModelBuild build, string earlierKpi, bool relaxationOnly)
    {
        var graph = AfterTheFirstRelease(build, earlierKpi);
        var protection = SecondarySuppression.Protect(graph, solveBudget: 0);
        Assert.Empty(protection.Audit.Failures);
        var complements = graph.RowCells.Select(r => r.Value.Distinct().Where(c => !graph.Nodes[c].Published).ToList())
            .Where(h => h.Count > 0 && h.All(c => SecondarySuppression.ForAnother(graph.Nodes[c]) && !graph.Nodes[c].Hidden))
            .ToList();
        var untried = complements.Where(h => h.All(c => SecondarySuppression.Cost(graph.Nodes[c]).Level == 0)).ToList();
        Assert.Equal(untried.Count, protection.NotTried);
        Assert.True(untried.Count > 10, $"{untried.Count} rows not tried");

        var adjacency = SecondarySuppression.Adjacency(graph);
        var partners = IntervalAudit.Partners(graph);
        using var trials = new IntervalAudit(graph, exact: true, relaxationOnly: relaxationOnly);
        var (passed, failed) = (0, 0);
        foreach (var cells in untried)
        {
            foreach (var c in cells) graph.Nodes[c].Published = true;
            var region = IntervalAudit.Around(graph, adjacency, partners, cells);
            bool expected;
            using (var fresh = new IntervalAudit(graph, exact: true, region, relaxationOnly: relaxationOnly)) expected = fresh.Passes();
            Assert.Equal(expected, trials.PassesWith(cells, region));
            if (expected) passed++;
            else
            {
                failed++;
                foreach (var c in cells) graph.Nodes[c].Published = false;
            }
        }
        Assert.True(passed > 0 && failed > 0, $"{passed} trials passed, {failed} failed");
    }

    [Fact]
    public async Task A_release_cut_mid_delivery_keeps_what_it_hid_for_the_audit_of_the_next_which_passes_on_true_relations()
    {
        var store = new LocalFolderBlobStore(Path.Combine(_folder.Path, "storage"));
        await Samples.SeedReferenceAsync(store);
        var options = new ModelOptions(Queries, Path.Combine(_folder.Path, "work")) { Threads = 2 };
        var job = new BuildAndPublish(store, new Publisher(store), new ModelBuilder(store, options), Options.Create(new FinsamOptions()));

        await DropAsync(store, Ahead);
        Assert.Equal(BuildAndPublishStatus.Published, (await job.ReleaseAsync()).Status);
        await DropAsync(store, name => !Ahead(name));
        Assert.Equal(BuildAndPublishStatus.Published, (await job.ReleaseAsync()).Status);

        var second = (await new DatasetVersions(store).ReadManifestAsync(PublishedLayout.KpiDataset, 2))!;
        Assert.True(second.DisclosureAudit!.Passed);
        Assert.Equal(1, second.DisclosureAudit.EarlierReleases);

        // The first release's record keeps what it hid, for the controller: the downloaded record has it beside kpi.parquet.
        var earlier = await new ReleaseRecords(store).DownloadKpiFilesAsync(Path.Combine(_folder.Path, "records"));
        Assert.All(earlier, f => Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(f)!, ReleaseRecords.ReasonsFile))));

        using var build = await ModelBuild.RunAsync(store, new ModelOptions(Queries, Path.Combine(_folder.Path, "check")) { Threads = 2 });
        AssertRelationsBetweenReleasesHold(build, earlier[0]);
        AssertTheAuditsShortcutsFindWhatItsProgrammesFind(build, earlier[0]);
        AssertTrialsOfOneAuditJudgeAsNewAudits(build, earlier[0], relaxationOnly: true);
        AssertTrialsOfOneAuditJudgeAsNewAudits(build, earlier[0], relaxationOnly: false);

        // A record that does not name exactly the rows the release suppressed (here one row less) is not used: its hidden
        // counts are audited as unknown.
        var record = Path.Combine(Path.GetDirectoryName(earlier[0])!, ReleaseRecords.ReasonsFile);
        var shorter = Path.Combine(_folder.Path, "shorter.parquet");
        build.Session.Execute($"copy (select * from read_parquet('{record}') offset 1) to '{shorter}' (format parquet)");
        File.Copy(shorter, record, overwrite: true);
        var rows = DisclosureAudit.ReadEarlier(build.Session, [earlier[0]])[0].Rows;
        Assert.Contains(rows, r => r.Suppressed);
        Assert.All(rows, r => Assert.Null(r.HiddenNumerator));
    }
}
