using System.Globalization;
using Finsam.Pipeline.Publishing;
using Finsam.Pipeline.Publishing.Disclosure;
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

    [Fact]
    public void A_small_data_set_where_the_greedy_choice_gets_stuck_is_still_protected_and_passes_its_audit()
    {
        var catalog = Read("catalog.csv").Select(f => new KpiProtection(f[0], f[1].Length == 0 ? null : f[1], f[2].Length == 0 ? null : f[2],
            f[3].Split('|', StringSplitOptions.RemoveEmptyEntries))).ToList();
        var scopes = Read("scopes.csv").Select(f => new ScopeMembership(f[0], f[1], f[2])).ToList();
        var rows = Read("kpi.csv").Select(f => new KpiRow(long.Parse(f[0], CultureInfo.InvariantCulture), f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8],
            Number(f[9]), f[10], Number(f[11]), Number(f[12]), f[13])).ToList();
        var relations = DisclosureRelation.Read(Path.Combine(RepoPaths.Root, "queries", PublishedTables.RelationsFile));

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
