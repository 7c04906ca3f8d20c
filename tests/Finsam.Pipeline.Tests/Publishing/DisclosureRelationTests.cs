using Finsam.Pipeline.Disclosure;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Tests.Support;

namespace Finsam.Pipeline.Tests.Publishing;

/// <summary>
/// Every relation of queries/small_count_relations.csv holds on the exact (controller) KPIs: a relation that does not
/// would make the audit reason from something false. The relations between releases are checked in DisclosureReleaseTests.
/// </summary>
public class DisclosureRelationTests : IDisposable
{
    private static readonly string Queries = Path.Combine(RepoPaths.Root, "queries");
    private readonly LocalStoreFactory _stores = new();

    private static IReadOnlyList<DisclosureRelation> Relations => DisclosureRelation.Read(Path.Combine(Queries, PublishedTables.RelationsFile));

    /// <summary>The exact KPIs of a build as one release, with every relation of the file among them.</summary>
    private static CellGraph Exact(ModelBuild build, IReadOnlyList<DisclosureRelation>? relations = null)
    {
        var graph = new CellGraph(DisclosureAudit.ReadCatalog(build.Session), relations ?? Relations, DisclosureAudit.ReadScopes(build.Session));
        graph.AddVersion("exakt", DisclosureAudit.ReadRows(build.Session, "kpi"), exact: true);
        return graph;
    }

    private static Dictionary<string, int> Instances(CellGraph graph) =>
        graph.Constraints.GroupBy(c => c.Relation).ToDictionary(g => g.Key, g => g.Count());

    [Fact]
    public async Task An_earlier_releases_county_is_read_by_todays_id_unless_that_would_make_two_of_its_counties_one()
    {
        using var world = await PublishWorld.SamplesAsync(_stores.Create());
        var (build, _) = await world.BuildAsync();
        // Releases made before counties were Kolada's region ids, as federations.csv wrote them.
        build.Session.Execute("""
            create table release_one_way as select * from (values
                ('deltagare', 'lan', '18', '2025', '2025-03', 'T', '', 12.0, null, false),
                ('deltagare', 'lan', ' Exempellän', '2025', '2025-03', 'T', '', 7.0, null, false),
                ('deltagare', 'lan', '1', '2025', '2025-03', 'T', '', 5.0, null, false)
            ) as t(kpi_id, scope, scope_id, period, through_period, kon, dimension, numerator, denominator, suppressed);
            create table release_two_ways as select * from (values
                ('deltagare', 'lan', '18', '2025', '2025-03', 'T', '', 12.0, null, false),
                ('deltagare', 'lan', 'örebro LÄN', '2025', '2025-03', 'T', '', 9.0, null, false)
            ) as t(kpi_id, scope, scope_id, period, through_period, kon, dimension, numerator, denominator, suppressed);
            """);

        // 18 is Örebro län (0018), 1 Stockholms län as a spreadsheet leaves 01 (0001), an example county is itself, trimmed.
        Assert.Equal([("0001", 5m), ("0018", 12m), ("Exempellän", 7m)],
            DisclosureAudit.ReadRows(build.Session, "release_one_way").Select(r => (r.ScopeId, r.Numerator!.Value)));
        // One county written two ways was two counties in that release: they keep its ids rather than become one.
        Assert.Equal([("18", 12m), ("örebro LÄN", 9m)],
            DisclosureAudit.ReadRows(build.Session, "release_two_ways").Select(r => (r.ScopeId, r.Numerator!.Value)));
    }

    [Fact]
    public async Task Every_relation_holds_on_the_exact_kpis_of_the_samples()
    {
        using var world = await PublishWorld.SamplesAsync(_stores.Create());
        var (build, _) = await world.BuildAsync();
        var graph = Exact(build);

        Assert.Empty(graph.Contradicted.Select(c => c.Describe(graph.Nodes, graph.VersionLabels)));
        // Every relation within a release has instances in the samples, except the turn of the year (one year of data) and
        // the relations between releases.
        var expected = Relations.Where(r => r.Over is not RelationAxis.Versions and not RelationAxis.YearEnd).Select(r => r.Name).Order(StringComparer.Ordinal);
        Assert.Equal(expected, Instances(graph).Keys.Order(StringComparer.Ordinal));
        // Each hidden count is a count: never below 0.
        Assert.All(graph.Nodes.Where(n => n.Hidden && n.Value is not null), n => Assert.True(n.Value >= 0, n.ToString()));
        Assert.Contains(graph.Nodes, n => n.Hidden && n.Key.Measure == "upprepade_registreringar" && n.Value > 0);
    }

    [Fact]
    public async Task A_wrong_relation_is_found_contradicted()
    {
        using var world = await PublishWorld.SamplesAsync(_stores.Create());
        var (build, _) = await world.BuildAsync();
        // "New registrations are all registrations" is false wherever a registration began before the year.
        var wrong = new DisclosureRelation("fel", RelationAxis.Measures, RelationKind.Equal, ["deltagare"], ["nya"], "");
        var graph = Exact(build, [.. Relations, wrong]);

        Assert.Contains(graph.Contradicted, c => c.Relation == "fel");
        Assert.DoesNotContain(graph.Constraints, c => c.Relation == "fel" && c.Terms.Any(t => graph.Nodes[t.Node].Key.ScopeId == "aspdalen"));
    }

    [Fact]
    public async Task Ongoing_at_the_start_of_a_year_are_those_ongoing_at_the_end_of_the_previous_complete_year()
    {
        using var scenario = new ModelScenario();
        string Row(int i, string start, string? end = null, string? exit = null) =>
            $"R{i};{TestPersons.Number(1970 + i, 1 + i % 12, 1 + i % 28, 100 + i)};nej;{(i % 2 == 0 ? "K" : "M")};;9901;alfa-MT;Mottagningsteam;individ;{start};{end};gymnasium;ingen;{(end is null ? "" : "lon")};{exit}";
        // Every month of 2024 delivered (the year is complete), then January 2025.
        for (var month = 1; month <= 12; month++)
        {
            var period = $"2024-{month:D2}";
            // Registration i starts in month i; registration 2 ends in June (listed until then).
            var rows = Enumerable.Range(1, 9).Where(i => i <= month && (i != 2 || month <= 6))
                .Select(i => Row(i, $"2024-{i:D2}-03", i == 2 && month == 6 ? "2024-06-20" : null, i == 2 && month == 6 ? "arbete" : null));
            scenario.Participants("alfa", period, string.Join("\n", rows));
            scenario.Ledger("alfa", period, $"V{month};2024-{month:D2}-10;1930;1000,00;;\nV{month};2024-{month:D2}-10;3010;-1000,00;;");
        }
        scenario.Participants("alfa", "2025-01", string.Join("\n", Enumerable.Range(1, 9).Where(i => i != 2).Select(i => Row(i, $"2024-{i:D2}-03")).Append(Row(20, "2025-01-08"))));
        scenario.Ledger("alfa", "2025-01", "V1;2025-01-10;1930;1000,00;;\nV1;2025-01-10;3010;-1000,00;;");
        using var build = await scenario.BuildAsync();
        var graph = Exact(build);

        Assert.Empty(graph.Contradicted.Select(c => c.Describe(graph.Nodes, graph.VersionLabels)));
        var yearEnd = graph.Constraints.Where(c => c.Relation == "arsskifte").Select(c => c.Describe(graph.Nodes, graph.VersionLabels)).ToList();
        Assert.Contains("arsskifte: pagaende_start alfa 2025 T = pagaende_slut alfa 2024 T", yearEnd);
        Assert.Equal(8m, graph.Find(0, new CellKey("pagaende_start", "forbund", "alfa", "2025", "T", ""))!.Value);
    }

    public void Dispose() => _stores.Dispose();
}
