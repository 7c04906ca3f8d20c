using System.Text;
using Finsam.Pipeline.Disclosure;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Finsam.Pipeline.Tests.Publishing;

/// <summary>
/// Two member releases of the county (<see cref="CountyData"/>) in a row, with a corrected month delivered between them:
/// the second is protected and audited together with the first, and keeps every total the first gave members.
/// </summary>
public class CountyRedropReleaseTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly List<ModelBuild> _builds = [];

    private async Task<ModelBuild> BuildAsync(IBlobStore store)
    {
        var build = await ModelBuild.RunAsync(store, new ModelOptions(RepoPaths.Queries, Path.Combine(_folder.Path, "work-" + _builds.Count)) { Threads = 2 });
        _builds.Add(build);
        Assert.Empty(build.AssertionFailures);
        return build;
    }

    /// <summary>The totals members lead with (a county's or all federations' counts, a federation's yearly registrations, new, ended and all participants) from 5, by key, and whether each is hidden.</summary>
    private static Dictionary<string, bool> Totals(ModelBuild build) =>
        build.Session.Query($"""
            with cells as ({PublishedTables.CellsSelect})
            select measure || ' ' || scope || ' ' || scope_id || ' ' || period || ' ' || kon || ' ' || dimension, hidden
            from cells
            where value >= 5 and (scope in ('lan', 'alla')
                or (measure in ('deltagare', 'nya', 'avslutade', 'deltagare_totalt') and period_type = 'ar' and dimension = ''))
            """).Rows.ToDictionary(r => (string)r[0]!, r => (bool)r[1]!);

    private static decimal Exact(ModelBuild build, string kpi, string federation, string period) =>
        (decimal)build.Session.Query($"select value from kpi where kpi_id = '{kpi}' and scope_id = '{federation}' and period = '{period}' and kon = 'T'").Rows.Single()[0]!;

    [Fact]
    public async Task A_second_release_after_a_corrected_month_passes_the_audit_across_both_and_hides_no_total_the_first_published()
    {
        var store = new LocalFolderBlobStore(Path.Combine(_folder.Path, "storage"));
        await CountyData.WriteAsync(store);
        await new IngestionService(store, new Pseudonymizer(TestPersons.Key)).IngestAllAsync();
        var first = await BuildAsync(store);
        var firstAudit = PublishedTables.Create(first.Session, RepoPaths.Queries);
        Assert.True(firstAudit.Passed, firstAudit.Describe());
        var v1 = Path.Combine(_folder.Path, "v1.parquet");
        first.Session.Execute($"copy (select * exclude (row_id) from kpi_published order by row_id) to '{v1}' (format parquet)");

        // Norräng delivers October and November again: the first registration that ended in October really ended on
        // 5 November (it is ongoing in October's export and ended in November's).
        var files = CountyData.Files().Where(f => f.Container == Containers.Landing).ToDictionary(f => f.Name, f => f.Text);
        const string october = "norrang/2025-10/deltagare.csv", november = "norrang/2025-11/deltagare.csv";
        var line = files[october].Split('\n').First(l => l.Split(';') is { Length: > 10 } c && c[10].StartsWith("2025-10-", StringComparison.Ordinal));
        var cells = line.Split(';');
        var ongoing = string.Join(';', cells.Take(10).Append("").Append(cells[11]).Append(cells[12]).Append("").Append(""));
        var ended = string.Join(';', cells.Take(10).Append("2025-11-05").Concat(cells.Skip(11)));
        await store.WriteAsync(Containers.Landing, october, Encoding.UTF8.GetBytes(files[october].Replace(line, ongoing)), WriteCondition.Overwrite);
        await store.WriteAsync(Containers.Landing, november, Encoding.UTF8.GetBytes(files[november] + ended + "\n"), WriteCondition.Overwrite);
        var redrop = await new IngestionService(store, new Pseudonymizer(TestPersons.Key)).IngestAllAsync();
        Assert.Equal(2, redrop.Files.Count(f => f.Status == FileStatus.Accepted));
        var second = await BuildAsync(store);
        Assert.Equal(Exact(first, "avslutade_manad", "norrang", "2025-10") - 1, Exact(second, "avslutade_manad", "norrang", "2025-10"));
        Assert.Equal(Exact(first, "avslutade_manad", "norrang", "2025-11") + 1, Exact(second, "avslutade_manad", "norrang", "2025-11"));
        Assert.Equal(Exact(first, "avslutade", "norrang", "2025"), Exact(second, "avslutade", "norrang", "2025"));

        var audit = PublishedTables.Create(second.Session, RepoPaths.Queries, [v1]);
        Assert.True(audit.Passed, audit.Describe());
        Assert.Equal(1, audit.EarlierReleases);

        // The months' change of one registration is protected: neither October's nor November's ended is published in both
        // releases with a difference from 1 to 4.
        var months = second.Session.Query($"""
            select n.period, n.suppressed, e.suppressed
            from kpi_published as n join read_parquet('{v1}') as e using (kpi_id, scope, scope_id, period, kon, dimension)
            where n.kpi_id = 'avslutade_manad' and n.scope_id = 'norrang' and n.period in ('2025-10', '2025-11')
            order by n.period
            """).Rows;
        Assert.Equal(2, months.Count);
        Assert.All(months, m => Assert.True((bool)m[1]! || (bool)m[2]!, $"{m[0]} published in both releases"));

        var before = Totals(first);
        var after = Totals(second);
        var hiddenAgain = before.Where(t => !t.Value && after.GetValueOrDefault(t.Key, true)).Select(t => t.Key).ToList();
        output.WriteLine($"first release: {before.Count} totals from 5, {before.Count(t => t.Value)} hidden; second: {after.Count(t => t.Value)} hidden; " +
                         $"hidden now that the first published: {hiddenAgain.Count}");
        Assert.Empty(hiddenAgain);
        Assert.Equal(before.Where(t => t.Value).Select(t => t.Key).Order(StringComparer.Ordinal), after.Where(t => t.Value).Select(t => t.Key).Order(StringComparer.Ordinal));
    }

    public void Dispose()
    {
        _builds.ForEach(b => b.Dispose());
        _folder.Dispose();
    }
}
