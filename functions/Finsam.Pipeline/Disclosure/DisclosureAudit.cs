using System.Diagnostics;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Versions;

namespace Finsam.Pipeline.Disclosure;

/// <summary>
/// The verdict of the disclosure audit on a member release. <see cref="SmallestIntervalWidth"/> is the narrowest
/// interval an attacker can put around a suppressed count of the release (null when there is none, or none is bounded).
/// </summary>
public sealed record DisclosureAuditResult(
    bool Passed,
    int SuppressedCells,
    decimal? SmallestIntervalWidth,
    int EarlierReleases,
    IReadOnlyList<DisclosureFailure> Failures,
    int Relations,
    int ContradictedRelations,
    int Components,
    int LinearPrograms,
    int Solves,
    TimeSpan Elapsed,
    int IntegerSolves = 0)
{
    /// <summary>The failures as one message for the publisher: the cells, their intervals and the relations that pin them.</summary>
    public string Describe(int max = 10) =>
        $"{Failures.Count} count(s) of the member files can be worked out or narrowed to 1–4:\n" +
        string.Join("\n", Failures.Take(max).Select(f => "  " + f)) + (Failures.Count > max ? $"\n  … and {Failures.Count - max} more" : "");

    /// <summary>The totals members lead with that the protection hid as complements (the controller's log names them; never a member file).</summary>
    public IReadOnlyList<string> TotalsHidden { get; init; } = [];

    /// <summary>
    /// The second figure: how many hidden counts from 1 to 4 (or their changes) an attacker who guesses that every hidden
    /// count is not zero, and is right each time, narrows to within 1–4 (docs/publishing.md, "The guess that a hidden count
    /// is not zero"). Null when the exact values were not at hand.
    /// </summary>
    public int? NotZeroGuessNarrowed { get; init; }

    /// <summary>
    /// Rows of complements that the protection did not try to publish again, its budget of work spent (none of them shows a
    /// total members lead with): they stay hidden. Zero when every row was tried, or when the audit did not come from a protection.
    /// </summary>
    public int ComplementRowsNotTried { get; init; }

    public ManifestDisclosureAudit ToManifest() => new(Passed, SuppressedCells, SmallestIntervalWidth, EarlierReleases, NotZeroGuessNarrowed);
}

/// <summary>
/// The audit that every member release must pass, as strong as an attacker who holds the member files of this release
/// and of every earlier release still published: for every suppressed count, the smallest and largest value consistent
/// with all that they publish and every relation of queries/small_count_relations.csv, by linear programming
/// (<see cref="IntervalAudit"/>). It reads only member tables (and, to leave out relations the exact data contradicts,
/// optionally the exact KPI table).
/// </summary>
public static class DisclosureAudit
{
    /// <summary>
    /// Audits a member KPI table of the session (e.g. <c>kpi_published</c>) against the earlier releases' member
    /// <c>kpi.parquet</c> files (local paths, oldest first). <paramref name="exactKpiTable"/> (e.g. <c>kpi</c>), when given,
    /// holds the exact values of the same rows: relations they contradict are left out, as the protection did.
    /// </summary>
    /// <param name="years">The release's choice of years (<see cref="ParticipantYears"/>): with complete years only, the counts of years not
    /// complete are left out of the smallest interval reported (<see cref="IntervalAudit.SmallestWidth()"/>); the verdict is the same.</param>
    /// <param name="progress">Where to say how far the audit has come (a late release's takes minutes).</param>
    public static DisclosureAuditResult Run(DuckDbSession session, string candidateKpiTable, IReadOnlyList<string> earlierReleaseKpiParquets,
        string queriesFolder, string? exactKpiTable = null, ParticipantYears years = ParticipantYears.YearToDate, IProgress<string>? progress = null)
    {
        var said = new ProtectionProgress(progress, ProtectionProgress.DefaultEvery, "audit: ");
        using var remembered = IntegerProgram.Remember();
        var started = Stopwatch.StartNew();
        var graph = NewGraph(session, queriesFolder);
        var earlier = ReadEarlier(session, earlierReleaseKpiParquets);
        AddEarlier(graph, earlier);
        var rows = exactKpiTable is null
            ? ReadRows(session, candidateKpiTable)
            : ReadRows(session, $"""
                (select e.* exclude (suppressed), p.suppressed
                 from {Source(session, exactKpiTable, withSuppressed: false)} as e
                 join {Source(session, candidateKpiTable, withSuppressed: true)} as p using (kpi_id, scope, scope_id, period, kon, dimension))
                """);
        graph.AddVersion("ny", rows, exact: exactKpiTable is not null);
        LinkCandidate(graph, earlier.Count);
        if (years == ParticipantYears.CompleteYears) SmallCountProtection.WithholdIncompleteYears(graph);
        using var audit = new IntervalAudit(graph, exact: exactKpiTable is not null);
        var outcome = audit.Run(progress: said);
        int? guessed = null;
        if (exactKpiTable is not null)
        {
            said.Step("the second figure: what an attacker who guesses that no hidden count is zero narrows");
            using var guess = new IntervalAudit(graph, exact: true, guessNotZero: true);
            guessed = guess.Run(progress: said).Failures.Count;
        }
        return Result(graph, outcome, earlier.Count, audit.Components, audit.Programs, audit.Solves, started.Elapsed) with
        {
            IntegerSolves = audit.IntegerSolves,
            NotZeroGuessNarrowed = guessed,
        };
    }

    /// <summary>
    /// The earlier releases' member kpi.parquet files, as rows (suppressed rows reveal nothing). Where the release's record
    /// (<see cref="ReleaseRecords.ReasonsFile"/> beside the file) keeps the counts it hid, the rows carry them for the
    /// publisher: a hidden count known to be 0 or 5 and more needs no interval, and a relation of that release its hidden
    /// counts contradict is left out, as its own protection left it out.
    /// </summary>
    public static List<EarlierRelease> ReadEarlier(DuckDbSession session, IReadOnlyList<string> kpiParquets) =>
        kpiParquets.Select((path, i) => new EarlierRelease(Label(path, i), ReadRows(session, WithRecord(session, path, i)))).ToList();

    /// <summary>A view of an earlier release's kpi file with the counts its suppressed rows hid, when its record has them.</summary>
    private static string WithRecord(DuckDbSession session, string kpiParquet, int index)
    {
        var kpi = $"read_parquet('{DuckDbSession.Quote(kpiParquet)}')";
        var record = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(kpiParquet))!, ReleaseRecords.ReasonsFile);
        if (!File.Exists(record)) return kpi;
        var reasons = $"read_parquet('{DuckDbSession.Quote(record)}')";
        if (!session.Query($"select column_name from (describe select * from {reasons})").Rows.Any(r => (string)r[0]! == "numerator")) return kpi;
        // The record is not in the release's manifest: it is used only where it names exactly the rows the release suppressed.
        const string key = "kpi_id, scope, scope_id, period, kon, coalesce(dimension, '')";
        var mismatched = (long)session.Query($"""
            select count(*) from (
                (select {key} from {kpi} where suppressed except all select {key} from {reasons})
                union all
                (select {key} from {reasons} except all select {key} from {kpi} where suppressed))
            """).Rows[0][0]!;
        if (mismatched > 0) return kpi;
        var view = $"earlier_release_{index + 1}";
        session.Execute($"""
            create or replace temp view {view} as
            select k.*, r.numerator as hidden_numerator, r.denominator as hidden_denominator, r.suppression as hidden_reason
            from {kpi} as k
            left join {reasons} as r
                on r.kpi_id = k.kpi_id and r.scope = k.scope and r.scope_id = k.scope_id and r.period = k.period and r.kon = k.kon
                and r.dimension is not distinct from k.dimension
            """);
        return view;
    }

    private static string Label(string path, int index)
    {
        var folder = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path)) ?? "");
        return System.Text.RegularExpressions.Regex.IsMatch(folder, "^v[0-9]+$") ? folder : $"tidigare {index + 1}";
    }

    internal static CellGraph NewGraph(DuckDbSession session, string queriesFolder) =>
        new(ReadCatalog(session), DisclosureRelation.Read(Path.Combine(queriesFolder, PublishedTables.RelationsFile)), ReadScopes(session));

    internal static void AddEarlier(CellGraph graph, IReadOnlyList<EarlierRelease> earlier)
    {
        for (var i = 0; i < earlier.Count; i++)
        {
            graph.AddVersion(earlier[i].Label, earlier[i].Rows, exact: false);
            if (i > 0) graph.Link(i - 1, i, identities: true, differences: false);
        }
    }

    /// <summary>Relates the version being made (the last one added) to every earlier release: the same counts as the latest, changes against each.</summary>
    internal static void LinkCandidate(CellGraph graph, int earlier)
    {
        for (var i = 0; i < earlier; i++)
            graph.Link(i, graph.CandidateVersion, identities: i == earlier - 1, differences: true);
    }

    internal static DisclosureAuditResult Result(CellGraph graph, IntervalAudit.Outcome outcome, int earlier, int components, int programs, int solves, TimeSpan elapsed) =>
        new(outcome.Failures.Count == 0, outcome.SuppressedCells, outcome.SmallestWidth, earlier,
            outcome.Failures.Select(f => f.Failure).ToList(), graph.Constraints.Count, graph.Contradicted.Count,
            components, programs, solves, elapsed);

    internal static List<KpiProtection> ReadCatalog(DuckDbSession session) =>
        session.Query("select kpi_id, numerator, denominator, protected_counts from kpi_catalog").Rows.Select(r => new KpiProtection(
            (string)r[0]!, Blank((string?)r[1]), Blank((string?)r[2]),
            ((string?)r[3] ?? "").Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))).ToList();

    internal static List<ScopeMembership> ReadScopes(DuckDbSession session) =>
        session.Query("select federation_id, scope, scope_id from int_scopes where scope <> 'forbund'").Rows
            .Select(r => new ScopeMembership((string)r[0]!, (string)r[1]!, (string)r[2]!)).ToList();

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    /// <summary>
    /// A KPI table or file as rows: a member file says which rows are suppressed (older ones by their reason). Its counties
    /// are read by today's ids (<see cref="Source"/>), unless that would make two of its counties one — a release made when
    /// federations.csv wrote one county two ways had two: then its counties keep the ids it gave them.
    /// </summary>
    internal static List<ReleaseRow> ReadRows(DuckDbSession session, string source)
    {
        var rows = Rows(session, source, countiesByToday: true);
        return rows.DistinctBy(r => (r.KpiId, r.Scope, r.ScopeId, r.Period, r.Kon, r.Dimension)).Count() == rows.Count ? rows : Rows(session, source, countiesByToday: false);
    }

    private static List<ReleaseRow> Rows(DuckDbSession session, string source, bool countiesByToday) =>
        session.Query($"""
            select kpi_id, scope, scope_id, period, through_period, kon, dimension,
                cast(numerator as decimal(38, 6)), cast(denominator as decimal(38, 6)), suppressed,
                cast(hidden_numerator as decimal(38, 6)), cast(hidden_denominator as decimal(38, 6)), hidden_reason
            from {(source.TrimStart().StartsWith('(') ? source : Source(session, source, withSuppressed: true, countiesByToday))}
            order by kpi_id, scope, scope_id, period, kon, dimension
            """).Rows.Select((r, i) => new ReleaseRow(i + 1, (string)r[0]!, (string)r[1]!, (string)r[2]!, (string)r[3]!, (string?)r[4] ?? "",
                (string)r[5]!, (string?)r[6] ?? "", (decimal?)r[7], (decimal?)r[8], r[9] is true, (decimal?)r[10], (decimal?)r[11],
                r[12] is Suppression.IncompleteYear)).ToList();

    /// <summary>
    /// A subquery with the columns the audit reads, and <c>suppressed</c> from the source or from an older file's <c>suppression</c>.
    /// A county is read by its id of today: releases made before counties were Kolada's region ids named one by its code or
    /// name (<c>18</c>, <c>Örebro län</c>), and the same county's counts must meet in the audit whatever a release called it.
    /// </summary>
    private static string Source(DuckDbSession session, string source, bool withSuppressed, bool countiesByToday = true)
    {
        var columns = session.Query($"select column_name from (describe select * from {source})").Rows.Select(r => (string)r[0]!).ToHashSet();
        var suppressed = !withSuppressed ? "false"
            : columns.Contains("suppressed") ? "coalesce(suppressed, false)"
            : columns.Contains("suppression") ? "coalesce(suppression, '') <> ''"
            : "false";
        var hidden = columns.Contains("hidden_numerator") ? "hidden_numerator, hidden_denominator, hidden_reason"
            : "null as hidden_numerator, null as hidden_denominator, null as hidden_reason";
        var county = countiesByToday ? "case when s.scope = 'lan' then coalesce(lan_region_id(s.scope_id), trim(s.scope_id)) else s.scope_id end" : "s.scope_id";
        return $"(select kpi_id, scope, {county} as scope_id, period, through_period, kon, coalesce(dimension, '') as dimension, numerator, denominator, " +
               $"{suppressed} as suppressed, {hidden} from {source} as s)";
    }
}
