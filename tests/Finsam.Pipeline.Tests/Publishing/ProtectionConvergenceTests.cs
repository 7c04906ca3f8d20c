using System.Globalization;
using Finsam.Pipeline.Disclosure;
using Finsam.Pipeline.Tests.Support;

namespace Finsam.Pipeline.Tests.Publishing;

/// <summary>
/// The protection reaches a release that passes its audit even where the greedy choice of complements gets stuck. The fixture
/// (Fixtures/few-participants) is the exact KPI table (2024 and 2025 through March) of four small federations in two counties (two to three
/// participants each, one federation alone with its county's only participant), as the shipped models made it, with
/// the catalog and scopes of that build: the greedy choice stopped with 18 counts still pinned at 1 and the release was refused.
/// </summary>
public class ProtectionConvergenceTests
{
    private static readonly string Folder = Path.Combine(RepoPaths.Root, "tests", "Finsam.Pipeline.Tests", "Publishing", "Fixtures", "few-participants");

    private static List<string[]> Read(string file) =>
        File.ReadAllLines(Path.Combine(Folder, file)).Skip(1).Select(line => line.Split(';').Select(f => f.Trim('"')).ToArray()).ToList();

    private static decimal? Number(string text) => text.Length == 0 ? null : decimal.Parse(text, CultureInfo.InvariantCulture);

    private static List<KpiProtection> Catalog() => Read("catalog.csv").Select(f => new KpiProtection(f[0], f[1].Length == 0 ? null : f[1],
        f[2].Length == 0 ? null : f[2], f[3].Split('|', StringSplitOptions.RemoveEmptyEntries))).ToList();

    private static List<ScopeMembership> Scopes() => Read("scopes.csv").Select(f => new ScopeMembership(f[0], f[1], f[2])).ToList();

    private static List<KpiRow> Rows() => Read("kpi.csv").Select(f => new KpiRow(long.Parse(f[0], CultureInfo.InvariantCulture), f[1], f[2], f[3], f[4],
        f[5], f[6], f[7], f[8], Number(f[9]), f[10], Number(f[11]), Number(f[12]), f[13])).ToList();

    private static IReadOnlyList<DisclosureRelation> Relations() => DisclosureRelation.Read(Path.Combine(RepoPaths.Root, "queries", PublishedTables.RelationsFile));

    [Fact]
    public void The_volume_of_the_interventions_adds_up_in_an_earlier_release_only_where_every_intervention_has_its_volume_count()
    {
        // Alfa 2025: four individual interventions, but a cost row (and so a volume count of its own) only for alfa-MT (14
        // participants, 5 of them registered: 9 by volume); alfa's volume is 10, as alfa-RAD, missing from insatser.csv, has 1.
        // "volume = the sum of the interventions' volumes" is false there: with exact values it is found and left out; in an
        // earlier release, whose hidden counts are not known, it would make the audit's programme infeasible (and the audit blind).
        bool VolumeSum(CellGraph graph, IEnumerable<Constraint> constraints, string federation) => constraints.Any(c => c.Relation == "volym" &&
            c.Terms.Any(t => graph.Nodes[t.Node].Key is { Measure: "deltagare_volym", Period: "2025", Kon: "T" } key && key.ScopeId == federation));
        var rows = Rows().Select(r => new ReleaseRow(r.RowId, r.KpiId, r.Scope, r.ScopeId, r.Period, r.ThroughPeriod, r.Kon, r.Dimension, r.Numerator, r.Denominator)).ToList();

        var exact = new CellGraph(Catalog(), Relations(), Scopes());
        exact.AddVersion("ny", rows, exact: true);
        Assert.True(VolumeSum(exact, exact.Contradicted, "alfa"));
        Assert.True(VolumeSum(exact, exact.Constraints, "beta")); // beta's one intervention has its volume count: the sum holds (0 = 0)

        var earlier = new CellGraph(Catalog(), Relations(), Scopes());
        earlier.AddVersion("v1", rows, exact: false);
        Assert.False(VolumeSum(earlier, earlier.Constraints, "alfa"));
        Assert.True(VolumeSum(earlier, earlier.Constraints, "beta"));
    }

    [Fact]
    public void A_small_data_set_where_the_greedy_choice_gets_stuck_is_still_protected_and_passes_its_audit()
    {
        var (catalog, scopes, rows, relations) = (Catalog(), Scopes(), Rows(), Relations());

        var result = new SmallCountProtection(catalog, relations, scopes).Apply(rows);

        Assert.True(result.Audit.Passed, string.Join(Environment.NewLine, result.Audit.Failures.Take(5)));
        // Every row that shows a protected count from 1 to 4 is suppressed (the audit's own check, asserted directly here).
        var counts = catalog.ToDictionary(k => k.KpiId);
        var small = rows.Where(r => counts.TryGetValue(r.KpiId, out var k) &&
            ((k.ProtectedCounts.Contains(k.Numerator ?? "") && r.Numerator is >= 1 and <= 4) ||
             (k.ProtectedCounts.Contains(k.Denominator ?? "") && r.Denominator is >= 1 and <= 4))).ToList();
        Assert.Equal(421, small.Count);
        Assert.All(small, r => Assert.True(result.Suppressed.ContainsKey(r.RowId), $"{r.KpiId} {r.ScopeId} {r.Kon} {r.Dimension} is shown"));
        // Finance is not a count: the federations' allocations stay published.
        Assert.All(rows.Where(r => r.KpiId == "medelstilldelning"), r => Assert.False(result.Suppressed.ContainsKey(r.RowId)));
    }
}
