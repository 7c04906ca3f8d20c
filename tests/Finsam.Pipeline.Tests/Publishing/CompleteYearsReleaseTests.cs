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
/// Member releases that publish complete years only (<see cref="ParticipantYears.CompleteYears"/>), on the county
/// (<see cref="CountyData"/>): November's release withholds every participant count of the year, and December's publishes the
/// year as a single release of the whole year would, where a release of the year to date in November makes December's hide
/// totals members lead with for good. (That December after a year-to-date November was refused before: a count November hid,
/// pinned by November's own relations, changed by 1–4, and the audit named November's count, which no complement can hide.)
/// </summary>
public sealed class CompleteYearsReleaseTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly List<ModelBuild> _builds = [];

    [Fact]
    public async Task A_year_withheld_until_it_is_complete_is_released_as_a_whole_year_is_and_keeps_the_totals_a_year_to_date_hides()
    {
        var store = new LocalFolderBlobStore(Path.Combine(_folder.Path, "storage"));
        await CountyData.WriteReferenceAsync(store);
        var november = await DeliverAndBuildAsync(store, from: 1, through: 11);

        // November, complete years only: the year is not complete, so none of its participant counts is published, and every
        // row that shows one says why in the record; money is published.
        var withheld = PublishedTables.Create(november.Session, RepoPaths.Queries, years: ParticipantYears.CompleteYears);
        Assert.True(withheld.Passed, withheld.Describe());
        var cells = november.Session.Query($"with cells as ({PublishedTables.CellsSelect}) select count(*), count(*) filter (where not hidden) from cells").Rows.Single();
        Assert.True((long)cells[0]! > 500, $"{cells[0]} participant-count cells");
        Assert.Equal(0L, cells[1]);
        Assert.Equal([Suppression.IncompleteYear], november.Session.Query("select distinct suppression from kpi_suppression").Rows.Select(r => (string)r[0]!));
        var money = november.Session.Query("select count(*), count(*) filter (where not suppressed) from kpi_published where kpi_id = 'kostnad_total'").Rows.Single();
        Assert.True((long)money[0]! > 0);
        Assert.Equal(money[0], money[1]);
        // The report says why a year's participants are not there yet, where the release publishes complete years only.
        const string completeYears = "Antal deltagare publiceras för hela år";
        var report = Finsam.Pipeline.Publishing.Report.ReportData.Read(november.Session, []);
        string Html(Finsam.Pipeline.Publishing.Report.ReportData data) => Encoding.UTF8.GetString(Finsam.Pipeline.Publishing.Report.HtmlReport.Render(data, "kpi", 1));
        Assert.Contains(completeYears, Html(report with { CompleteYearsOnly = true }));
        Assert.DoesNotContain(completeYears, Html(report));
        var novemberComplete = Release(november, "november-complete");

        // The same November as a year to date, for the comparison below.
        Assert.True(PublishedTables.Create(november.Session, RepoPaths.Queries).Passed);
        var novemberToDate = Release(november, "november-to-date");

        var december = await DeliverAndBuildAsync(store, from: 12, through: 12);
        var alone = PublishedTables.Create(december.Session, RepoPaths.Queries);
        Assert.True(alone.Passed, alone.Describe());
        var hiddenAlone = Hidden(december);
        var totalsAlone = HiddenTotals(december);

        var afterToDate = PublishedTables.Create(december.Session, RepoPaths.Queries, [novemberToDate]);
        Assert.True(afterToDate.Passed, afterToDate.Describe());
        var totalsAfterToDate = HiddenTotals(december);
        var hiddenAfterToDate = Hidden(december).Count;

        var afterWithheld = PublishedTables.Create(december.Session, RepoPaths.Queries, [novemberComplete], ParticipantYears.CompleteYears);
        Assert.True(afterWithheld.Passed, afterWithheld.Describe());
        Assert.Equal(1, afterWithheld.EarlierReleases);
        var hiddenAfterWithheld = Hidden(december);
        output.WriteLine($"December's release hides {hiddenAlone.Count} cells alone ({totalsAlone.Count} totals from 5 members lead with); " +
                         $"after November's year to date {hiddenAfterToDate} ({totalsAfterToDate.Count} totals: {string.Join(", ", totalsAfterToDate.Take(12))} …); " +
                         $"after November's withheld year {hiddenAfterWithheld.Count} ({HiddenTotals(december).Count} totals)");

        // The year, withheld until complete, is protected as a release of the whole year alone is: the same cells hidden.
        Assert.Equal(hiddenAlone.Order(StringComparer.Ordinal), hiddenAfterWithheld.Order(StringComparer.Ordinal));
        Assert.Equal(totalsAlone, HiddenTotals(december));
        Assert.DoesNotContain(totalsAlone, t => t.Contains(" lan ", StringComparison.Ordinal) || t.Contains(" alla ", StringComparison.Ordinal));
        // A year to date released in November makes December hide totals members lead with that the whole year publishes.
        Assert.NotEmpty(totalsAfterToDate.Except(totalsAlone));
    }

    /// <summary>The federations deliver the months <paramref name="from"/>–<paramref name="through"/> of 2025; they are ingested and built.</summary>
    private async Task<ModelBuild> DeliverAndBuildAsync(IBlobStore store, int from, int through)
    {
        await CountyData.DeliverAsync(store, from, through);
        var summary = await new IngestionService(store, new Pseudonymizer(TestPersons.Key)).IngestAllAsync();
        Assert.DoesNotContain(summary.Files, f => f.Status != FileStatus.Accepted);
        var build = await ModelBuild.RunAsync(store, new ModelOptions(RepoPaths.Queries, Path.Combine(_folder.Path, "work-" + _builds.Count)) { Threads = 2 });
        _builds.Add(build);
        Assert.Empty(build.AssertionFailures);
        return build;
    }

    /// <summary>The member table of the session's last protection as a member release's kpi.parquet, with its record beside it.</summary>
    private string Release(ModelBuild build, string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_folder.Path, name)).FullName;
        var path = Path.Combine(folder, "kpi.parquet");
        build.Session.Execute($"copy (select * exclude (row_id) from kpi_published order by row_id) to '{path}' (format parquet)");
        build.Session.Execute($"copy ({PublishedTables.SuppressionReasonsSelect}) to '{Path.Combine(folder, ReleaseRecords.ReasonsFile)}' (format parquet)");
        return path;
    }

    /// <summary>The participant-count cells the session's last protection hides, by key.</summary>
    private static List<string> Hidden(ModelBuild build) =>
        build.Session.Query($"""
            with cells as ({PublishedTables.CellsSelect})
            select measure || ' ' || scope || ' ' || scope_id || ' ' || period || ' ' || kon || ' ' || dimension from cells where hidden
            """).Rows.Select(r => (string)r[0]!).ToList();

    /// <summary>The totals members lead with (a county's or all federations' counts, a federation's yearly key counts) from 5 that it hides.</summary>
    private static List<string> HiddenTotals(ModelBuild build) =>
        build.Session.Query($"""
            with cells as ({PublishedTables.CellsSelect})
            select measure || ' ' || scope || ' ' || scope_id || ' ' || period || ' ' || kon || ' ' || dimension
            from cells
            where hidden and value >= 5 and (scope in ('lan', 'alla')
                or (measure in ('deltagare', 'nya', 'avslutade', 'deltagare_totalt') and period_type = 'ar' and dimension = ''))
            order by all
            """).Rows.Select(r => (string)r[0]!).ToList();

    public void Dispose()
    {
        _builds.ForEach(b => b.Dispose());
        _folder.Dispose();
    }
}
