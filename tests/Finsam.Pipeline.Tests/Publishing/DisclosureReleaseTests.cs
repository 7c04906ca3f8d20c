using System.Text;
using Finsam.Pipeline.Disclosure;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;

namespace Finsam.Pipeline.Tests.Publishing;

/// <summary>
/// Two member releases side by side: a month apart (the year to date grows by a month's flows), and a re-drop that
/// changes one registration. What the first published is known: the second is protected and audited with it.
/// </summary>
public class DisclosureReleaseTests : IDisposable
{
    private static readonly string Queries = Path.Combine(RepoPaths.Root, "queries");
    private readonly TempFolder _folder = new();
    private readonly List<ModelBuild> _builds = [];
    private readonly LocalFolderBlobStore _store;

    public DisclosureReleaseTests() => _store = new LocalFolderBlobStore(Path.Combine(_folder.Path, "storage"));

    private async Task DropAsync(Func<string, bool> which)
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Samples, "reference")))
            await _store.WriteAsync(Containers.Reference, Path.GetFileName(file), await File.ReadAllBytesAsync(file), WriteCondition.Overwrite);
        foreach (var (name, bytes) in Samples.LandingFiles().Where(f => which(f.Name)))
            await _store.WriteAsync(Containers.Landing, name, bytes, WriteCondition.Overwrite);
        var summary = await new IngestionService(_store, new Pseudonymizer(TestPersons.Key)).IngestAllAsync();
        Assert.All(summary.Files, f => Assert.Equal(FileStatus.Accepted, f.Status));
    }

    private async Task<ModelBuild> BuildAsync()
    {
        var build = await ModelBuild.RunAsync(_store, new ModelOptions(Queries, Path.Combine(_folder.Path, "work-" + _builds.Count)) { Threads = 2 });
        _builds.Add(build);
        Assert.Empty(build.AssertionFailures);
        return build;
    }

    /// <summary>The member kpi file of a build, as a release writes it.</summary>
    private string MemberFile(ModelBuild build, string name)
    {
        var path = Path.Combine(_folder.Path, name + ".parquet");
        build.Session.Execute($"copy (select * exclude (row_id) from kpi_published order by row_id) to '{path}' (format parquet)");
        return path;
    }

    /// <summary>
    /// The counts published in both releases (each row's numerator and denominator) whose difference is from 1 to 4 in
    /// absolute value: a month's flow, or a corrected registration, that a reader works out by subtraction.
    /// </summary>
    private static List<string> SmallDifferences(ModelBuild build, string earlierFile) =>
        build.Session.Query($"""
            with pairs as (
                select n.kpi_id, n.scope_id, n.period, n.kon, n.dimension, n.numerator - e.numerator as dn, n.denominator - e.denominator as dd
                from kpi_published as n
                join read_parquet('{earlierFile}') as e using (kpi_id, scope, scope_id, period, kon, dimension)
                join kpi_catalog as c on c.kpi_id = n.kpi_id
                where not n.suppressed and not e.suppressed and c.protected_counts <> ''
            )
            select kpi_id || ' ' || scope_id || ' ' || period || ' ' || kon || ' ' || dimension || ': ' || coalesce(cast(dn as varchar), '') || '/' || coalesce(cast(dd as varchar), '')
            from pairs where abs(dn) between 1 and 4 or abs(dd) between 1 and 4
            order by 1
            """).Rows.Select(r => (string)r[0]!).ToList();

    [Fact]
    public async Task Two_releases_a_month_apart_let_no_flow_from_1_to_4_be_worked_out_from_their_year_to_date_difference()
    {
        await DropAsync(name => string.CompareOrdinal(name.Split('/')[1], "2025-02") <= 0);
        var february = await BuildAsync();
        Assert.True(PublishedTables.Create(february.Session, Queries).Passed);
        var earlier = MemberFile(february, "v1");

        await DropAsync(name => name.Split('/')[1] == "2025-03");
        var march = await BuildAsync();
        // Without February's release in mind, March's year to date minus February's gives flows from 1 to 4 away …
        Assert.True(PublishedTables.Create(march.Session, Queries).Passed);
        var unaware = SmallDifferences(march, earlier);
        Assert.NotEmpty(unaware);
        // Ekstrand had 3 new registrations in March: its year to date of new registrations grew by 3.
        Assert.Contains("nya ekstrand 2025 T : 3.000000/", unaware);

        // … with it, none: every such count is suppressed now, and the audit of both releases together passes.
        var audit = PublishedTables.Create(march.Session, Queries, [earlier]);
        Assert.True(audit.Passed, audit.Describe());
        Assert.Equal(1, audit.EarlierReleases);
        Assert.Empty(SmallDifferences(march, earlier));
        // The months of the first quarter were delivered once: February's published months are March's too.
        Assert.Equal(0L, march.Session.Query($"""
            select count(*) from kpi_published as n join read_parquet('{earlier}') as e using (kpi_id, scope, scope_id, period, kon, dimension)
            where n.period_type = 'manad' and n.period <= '2025-02' and n.value is distinct from e.value and not n.suppressed and not e.suppressed
            """).Rows[0][0]);
    }

    [Fact]
    public async Task The_year_to_date_relation_between_releases_holds_on_the_exact_values()
    {
        await DropAsync(name => string.CompareOrdinal(name.Split('/')[1], "2025-02") <= 0);
        var february = await BuildAsync();
        PublishedTables.Create(february.Session, Queries);
        // February exactly as published, with nothing suppressed, so every relation between the releases can be checked.
        february.Session.Execute("update kpi_published set suppressed = false, value = k.value, numerator = k.numerator, denominator = k.denominator from kpi_numbered as k where k.row_id = kpi_published.row_id");
        var earlier = MemberFile(february, "exact-february");
        await DropAsync(name => name.Split('/')[1] == "2025-03");
        var march = await BuildAsync();
        PublishedTables.Create(march.Session, Queries);

        var graph = DisclosureAudit.NewGraph(march.Session, Queries);
        DisclosureAudit.AddEarlier(graph, DisclosureAudit.ReadEarlier(march.Session, [earlier]));
        graph.AddVersion("ny", DisclosureAudit.ReadRows(march.Session, "kpi"), exact: true);
        DisclosureAudit.LinkCandidate(graph, 1);
        var accumulated = graph.Constraints.Where(c => c.Relation == "ackumulerat").ToList();
        // Each federation's nya and avslutade (T): March's year to date = February's + March's flow.
        Assert.Equal(8, accumulated.Count);
        Assert.All(accumulated, c => Assert.Equal(0m, c.Terms.Sum(t => t.Coefficient * graph.Nodes[t.Node].Value!.Value)));
        // The first two months are the same counts in both releases (known from February); the year to date changed by a count of its own.
        Assert.Contains(graph.Nodes, n => n.Frozen && n.Key.Period == "2025-01");
        Assert.NotEmpty(graph.Differences);
        Assert.Empty(graph.Contradicted);
    }

    [Fact]
    public async Task A_redrop_that_changes_one_registration_is_not_visible_as_a_count_of_1_in_the_difference()
    {
        await DropAsync(_ => true);
        var first = await BuildAsync();
        var firstAudit = PublishedTables.Create(first.Session, Queries);
        Assert.True(firstAudit.Passed, firstAudit.Describe());
        var earlier = MemberFile(first, "v1");

        // Aspdalen delivers March again: registration AS-1013 ended to work, not as "moved".
        const string file = "aspdalen/2025-03/aspdalen_deltagare_202503.csv";
        var text = Encoding.UTF8.GetString(Samples.File(file));
        var changed = text.Replace("2025-03-05;saknas;aktivitetsersattning|studiemedel;lon;flytt", "2025-03-05;saknas;aktivitetsersattning|studiemedel;lon;arbete");
        Assert.NotEqual(text, changed);
        await _store.WriteAsync(Containers.Landing, file, Encoding.UTF8.GetBytes(changed), WriteCondition.Overwrite);
        await new IngestionService(_store, new Pseudonymizer(TestPersons.Key)).IngestAllAsync();
        var second = await BuildAsync();
        Assert.Equal(1m, second.Session.Query("select value from kpi where kpi_id = 'avslut_arbete' and scope_id = 'aspdalen' and period = '2025' and kon = 'M'").Rows[0][0]);

        Assert.True(PublishedTables.Create(second.Session, Queries).Passed);
        Assert.NotEmpty(SmallDifferences(second, earlier));
        var audit = PublishedTables.Create(second.Session, Queries, [earlier]);
        Assert.True(audit.Passed, audit.Describe());
        Assert.Empty(SmallDifferences(second, earlier));
    }

    public void Dispose()
    {
        _builds.ForEach(b => b.Dispose());
        _folder.Dispose();
    }
}
