using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Disclosure;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Finsam.Pipeline.Tests.Publishing;

/// <summary>
/// A member release of a county shaped like the federations it is for (<see cref="CountyData"/>): protected, audited, and
/// keeping what members need.
/// </summary>
public class CountyReleaseTests(CountyReleaseTests.County county, ITestOutputHelper output) : IClassFixture<CountyReleaseTests.County>
{
    public sealed class County : IAsyncLifetime
    {
        private readonly TempFolder _folder = new();
        public ModelBuild Build { get; private set; } = null!;
        public DisclosureAuditResult Audit { get; private set; } = null!;
        public TimeSpan Protection { get; private set; }

        public async Task InitializeAsync()
        {
            var store = new LocalFolderBlobStore(Path.Combine(_folder.Path, "storage"));
            await CountyData.WriteAsync(store);
            var summary = await new IngestionService(store, new Pseudonymizer(TestPersons.Key)).IngestAllAsync();
            if (summary.Files.FirstOrDefault(f => f.Status != FileStatus.Accepted) is { } refused)
                throw new InvalidOperationException($"{refused.LandingName}: {refused.Message}");
            Build = await ModelBuild.RunAsync(store, new ModelOptions(RepoPaths.Queries, Path.Combine(_folder.Path, "work")) { Threads = 2 });
            var clock = Stopwatch.StartNew();
            Audit = PublishedTables.Create(Build.Session, RepoPaths.Queries);
            Protection = clock.Elapsed;
        }

        public Task DisposeAsync()
        {
            Build?.Dispose();
            _folder.Dispose();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public void The_release_passes_its_audit_and_hides_no_total_of_the_county_or_of_all_federations()
    {
        var stats = county.Build.Session.Query($"""
            with cells as ({PublishedTables.CellsSelect})
            select count(*), count(*) filter (where hidden), count(*) filter (where hidden and value >= 5), count(*) filter (where hidden and value >= 50),
                count(*) filter (where hidden and value >= 5 and scope in ('lan', 'alla')),
                (select count(*) from kpi_published), (select count(*) from kpi_published where suppressed)
            from cells
            """).Rows.Single();
        // What it hides, for the record (docs/benchmarks.md): the participant-count cells, those hidden, and how large.
        output.WriteLine($"audit {(county.Audit.Passed ? "passed" : "failed")} in {county.Protection.TotalSeconds:F1} s; cells {stats[0]}, hidden {stats[1]}, " +
                         $"hidden from 5 {stats[2]}, hidden from 50 {stats[3]}, county and all-federation counts from 5 hidden {stats[4]}; " +
                         $"rows {stats[5]}, suppressed {stats[6]}");
        foreach (var r in county.Build.Session.Query($"""
                     with cells as ({PublishedTables.CellsSelect})
                     select measure, scope, count(*), count(*) filter (where hidden), count(*) filter (where hidden and value >= 5)
                     from cells group by all having count(*) filter (where hidden) > 0 order by 1, 2
                     """).Rows)
            output.WriteLine($"{r[0]} {r[1]}: {r[2]} cells, {r[3]} hidden, {r[4]} of them from 5");

        Assert.True(county.Audit.Passed, county.Audit.Describe());
        Assert.Equal(0L, stats[4]);
        // The second figure: an attacker who guesses that every hidden count is at least 1 (and is right each time) narrows
        // 26 counts to within 1–4; the audit's attacker, none.
        Assert.Equal(26, county.Audit.NotZeroGuessNarrowed);
        // At most a quarter of the participant-count cells hidden (two thirds before complements were published again where
        // the audit allows it).
        Assert.Equal(539L, stats[0]);
        Assert.Equal(HiddenCells, stats[1]);
        Assert.True((long)stats[1]! * 4 <= (long)stats[0]!, $"{stats[1]} of {stats[0]} cells hidden");
    }

    private const long HiddenCells = 113;

    [Fact]
    public void Every_federations_yearly_registrations_new_and_ended_from_5_are_published_except_the_totals_the_audit_refused()
    {
        // The yearly totals members lead with, of 5 or more, that are hidden: exactly those the protection names as refused.
        var hidden = county.Build.Session.Query($"""
            with cells as ({PublishedTables.CellsSelect})
            select measure || ' ' || scope_id || ' ' || period || ' ' || kon
            from cells
            where hidden and value >= 5 and period_type = 'ar' and dimension = ''
              and measure in ('deltagare', 'nya', 'avslutade', 'deltagare_totalt')
            order by 1
            """).Rows.Select(r => (string)r[0]!).ToList();
        Assert.Equal(county.Audit.TotalsHidden.Where(t => !t.Contains('-')).Order(StringComparer.Ordinal), hidden.Order(StringComparer.Ordinal));
        // Lindby's ongoing at the start (3 women, 2 men) are registrations − new: one of the two must go, and with it the
        // same gender's count of another federation (the county's sum would give it back). Registrations also give all
        // participants (with the anonymous and those by volume, as the annual reports add them), so it is new that goes.
        Assert.Equal(["nya lindby 2025 K", "nya lindby 2025 M", "nya norrang 2025 K", "nya norrang 2025 M"], hidden);
    }

    /// <summary>The breakdowns a member release could publish coarser: the KPIs of each, and the level it would leave out.</summary>
    private static readonly (string Name, string[] Kpis, string Scope, bool MonthsOnly)[] Breakdowns =
    [
        ("support before and after, per federation", ["andel_ingen_forsorjning_fore", "andel_ingen_forsorjning_efter"], "forbund", false),
        ("exits to work, subsidised work, studies, per federation", ["avslut_arbete", "avslut_arbete_med_stod", "avslut_studier"], "forbund", false),
        ("exit groups, per federation", ["avslut_arbete_studier_andel", "avslut_stegforflyttning_andel", "avslut_ovrigt_andel"], "forbund", false),
        ("age groups, per federation", ["deltagare_aldersgrupp"], "forbund", false),
        ("monthly new and ended, per federation", ["nya_manad", "avslutade_manad"], "forbund", true),
        ("interventions, per federation", ["deltagare_insats", "deltagare_insats_mot_budget", "kostnad_per_deltagare_insats"], "forbund", false),
        ("ongoing at the start and the end, per federation", ["pagaende_start", "pagaende_slut"], "forbund", false),
    ];

    [Fact]
    public void What_each_breakdown_costs_in_hidden_cells_is_measured_and_a_release_without_it_passes_its_audit()
    {
        var session = county.Build.Session;
        var rows = Rows(session);
        var protection = Protection(session);
        var all = protection.Apply(rows);
        output.WriteLine($"all rows: {all.Cells} cells published of {all.Cells + all.Audit.SuppressedCells}, {all.Audit.SuppressedCells} hidden");

        foreach (var (name, kpis, scope, monthsOnly) in Breakdowns)
        {
            bool Left(KpiRow r) => kpis.Contains(r.KpiId) && r.Scope == scope && (!monthsOnly || r.PeriodType == "manad");
            var without = protection.Apply(rows.Where(r => !Left(r)).ToList());
            var own = all.Suppressed.Keys.Count(id => Left(rows[(int)id - 1]));
            output.WriteLine($"without {name}: {without.Audit.SuppressedCells} hidden ({all.Audit.SuppressedCells - without.Audit.SuppressedCells} fewer; " +
                             $"{rows.Count(Left)} rows of its own, {own} of them suppressed)");
            Assert.True(without.Audit.Passed);
        }
    }

    [Fact]
    public void The_protection_says_what_it_is_doing_and_its_figures_are_the_results()
    {
        var session = county.Build.Session;
        var lines = new List<string>();
        // Every line within a step too (a release's own waits ten seconds between them).
        var result = Protection(session, every: TimeSpan.Zero).Apply(Rows(session), progress: new SynchronousProgress<string>(lines.Add));
        foreach (var line in lines.Where(l => !l.EndsWith("% of the counts checked", StringComparison.Ordinal))) output.WriteLine(line);

        Assert.True(result.Audit.Passed);
        Assert.All(lines, l => Assert.StartsWith("protection: ", l, StringComparison.Ordinal));
        Assert.Equal($"protection: {result.Primary} count(s) hidden for themselves (from 1 to 4, a change of 1 to 4, hidden before, or of a year " +
                     "not complete); choosing the counts that protect them", lines[0]);
        // Each round that the audit refused, then the round it passed, with the complements chosen so far.
        var rounds = lines.Select(l => Regex.Match(l, @"^protection: round (\d+): \d+ hidden count\(s\) could still be worked out; (\d+) more hidden, (\d+) in all so far$"))
            .Where(m => m.Success).Select(m => (Round: int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), InAll: int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture))).ToList();
        var passed = Regex.Match(Assert.Single(lines, l => l.Contains("the audit passed after", StringComparison.Ordinal)),
            @"^protection: the audit passed after (\d+) round\(s\), (\d+) count\(s\) hidden to protect others$");
        Assert.True(passed.Success);
        Assert.Equal(result.Rounds, int.Parse(passed.Groups[1].Value, CultureInfo.InvariantCulture));
        Assert.Equal(Enumerable.Range(1, result.Rounds - 1), rounds.Select(r => r.Round).Distinct());
        var chosen = int.Parse(passed.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.True(rounds.Count == 0 || rounds[^1].InAll <= chosen);
        // Then the rows of complements tried for publishing again, most costly first: the last line of it says how many were
        // published again, and what the protection hides for others is what was chosen less those.
        var trying = Regex.Match(Assert.Single(lines, l => l.Contains("trying to publish again", StringComparison.Ordinal)),
            @"^protection: trying to publish again (\d+) row\(s\) hidden to protect others, the costliest to members first$");
        var total = int.Parse(trying.Groups[1].Value, CultureInfo.InvariantCulture);
        var tried = lines.Select(l => Regex.Match(l, @"^protection: (\d+) of (\d+) row\(s\) tried, (\d+) count\(s\) published again$")).Where(m => m.Success)
            .Select(m => (Tried: int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Of: int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
                Published: int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture))).ToList();
        Assert.True(tried.Count > 2, string.Join("\n", lines));
        Assert.All(tried, t => Assert.Equal(total, t.Of));
        Assert.Equal(tried.Select(t => t.Tried).Order(), tried.Select(t => t.Tried));
        Assert.Equal(tried.Select(t => t.Published).Order(), tried.Select(t => t.Published));
        Assert.Equal(total, tried[^1].Tried);
        Assert.Equal(chosen - tried[^1].Published, result.Secondary);
        var whole = lines.IndexOf("protection: auditing the result whole");
        Assert.True(whole > 0, "no whole audit of the result: " + string.Join("\n", lines));
        Assert.Equal($"protection: publishing again done: {total} of {total} row(s) tried, {tried[^1].Published} count(s) published again", lines[whole - 1]);
        // The whole audit says how far it has come, in whole percents, each once.
        Assert.Equal(Enumerable.Range(1, 100).Select(p => $"protection: {p}% of the counts checked"), lines.Skip(whole + 1));
    }

    private static readonly IReadOnlyList<DisclosureRelation> Relations =
        DisclosureRelation.Read(Path.Combine(RepoPaths.Queries, PublishedTables.RelationsFile));

    /// <summary>The protection a release applies to the build; <paramref name="every"/>: the least time between its progress lines within a step.</summary>
    private static SmallCountProtection Protection(DuckDbSession session, TimeSpan? every = null) =>
        new(DisclosureAudit.ReadCatalog(session), Relations, DisclosureAudit.ReadScopes(session)) { ProgressEvery = every ?? ProtectionProgress.DefaultEvery };

    /// <summary>The exact KPI rows of the build, numbered as the release numbers them.</summary>
    private static List<KpiRow> Rows(DuckDbSession session) =>
        session.Query("""
            select row_id, kpi_id, scope, scope_id, period, period_type, through_period, kon, dimension, value, unit, numerator, denominator, flag
            from kpi_numbered order by row_id
            """).Rows.Select(r => new KpiRow((long)r[0]!, (string)r[1]!, (string)r[2]!, (string)r[3]!, (string)r[4]!, (string)r[5]!, (string)r[6]!,
                (string)r[7]!, (string)r[8]!, (decimal?)r[9], (string?)r[10], (decimal?)r[11], (decimal?)r[12], (string?)r[13] ?? "")).ToList();
}
