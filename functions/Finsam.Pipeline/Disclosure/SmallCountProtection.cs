
namespace Finsam.Pipeline.Disclosure;

/// <summary>
/// Why a count is hidden from members. Only the controller's snapshot says it: member files say only that a value
/// is suppressed, so that the marker tells a reader nothing about the value.
/// </summary>
public static class Suppression
{
    /// <summary>A participant count from 1 to 4, or a figure computed from one (primary suppression).</summary>
    public const string SmallCount = "litet_antal";
    /// <summary>Its change since an earlier release still published is from 1 to 4 (a month's flow, a corrected registration).</summary>
    public const string Change = "andring";
    /// <summary>An earlier release hid the same count for the same, unchanged period.</summary>
    public const string Earlier = "tidigare";
    /// <summary>Hidden so that no hidden count can be worked out from the published ones (secondary suppression).</summary>
    public const string Derivable = "harledbar";
    /// <summary>
    /// As <see cref="Derivable"/>, and the row shows a total members lead with (a county's or all federations' count, or a
    /// federation's yearly registrations, new or ended participants) of 5 or more: publishing it again was tried, and the
    /// audit refused it.
    /// </summary>
    public const string DerivableTotal = "harledbar_summa";
    /// <summary>
    /// A count of a year that is not complete at its level yet, or of one of its months, where the release publishes complete
    /// years only (<see cref="ParticipantYears.CompleteYears"/>).
    /// </summary>
    public const string IncompleteYear = "ofullstandigt_ar";
}

/// <summary>An earlier member release that readers still have: its kpi rows as published (suppressed rows reveal nothing).</summary>
public sealed record EarlierRelease(string Label, IReadOnlyList<ReleaseRow> Rows);

/// <summary>
/// The rows to suppress (and why, for the controller), and the audit of what remains published. Cells: how many counts
/// the rows reveal; Primary: hidden for themselves (1–4, a change of 1–4, hidden earlier); Secondary: hidden to protect them.
/// </summary>
public sealed record ProtectionResult(IReadOnlyDictionary<long, string> Suppressed, DisclosureAuditResult Audit, int Cells, int Primary, int Secondary, int Rounds);

/// <summary>
/// Small-count protection for member-facing KPI files, as official statistics protect linked tables.
/// <para>The participant counts a row reveals are "cells": a measure (the catalog's numerator or denominator name, e.g.
/// <c>avslutade</c>) at one level, period, gender and dimension. The relations file (queries/small_count_relations.csv)
/// declares every linear relation between them (T = K + M, a county = its federations, a year = its months, the exit
/// groups, registrations = ongoing + new …, and counts no KPI shows, such as repeat registrations). A cell from 1 to 4 is
/// suppressed (primary), and so is a cell whose change since an earlier release is from 1 to 4; then further cells
/// (<see cref="SecondarySuppression"/>) until the linear-programming audit (<see cref="IntervalAudit"/>) finds no hidden
/// value that the published ones, and those of the earlier releases, pin or narrow to within 1–4. A row is suppressed
/// when any cell it reveals is.</para>
/// </summary>
public sealed class SmallCountProtection(IEnumerable<KpiProtection> catalog, IReadOnlyList<DisclosureRelation> relations, IReadOnlyList<ScopeMembership> scopes)
{
    public const int MinPublished = 5;

    private readonly List<KpiProtection> _catalog = catalog.ToList();

    /// <summary>Within a step of the protection, the least time between two lines of its progress.</summary>
    internal TimeSpan ProgressEvery { get; init; } = ProtectionProgress.DefaultEvery;

    /// <summary>Protects the rows of the version being made; <paramref name="earlier"/> are the releases readers still have, oldest first.</summary>
    /// <param name="withWidth">Whether an audit that passes reports the smallest interval (false: the caller audits the member
    /// table again, and that audit reports it).</param>
    /// <param name="years">Which years' counts the release may publish: with <see cref="ParticipantYears.CompleteYears"/> every count of
    /// a year not complete at its level, and of its months, is hidden (<see cref="WithholdIncompleteYears"/>).</param>
    /// <param name="progress">Where to say what the protection is doing (<see cref="ProgressEvery"/>): a release late in the year takes
    /// minutes.</param>
    public ProtectionResult Apply(IReadOnlyList<KpiRow> rows, IReadOnlyList<EarlierRelease>? earlier = null, bool withWidth = true,
        ParticipantYears years = ParticipantYears.YearToDate, IProgress<string>? progress = null)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        // The integer optima of this release, remembered across its audits (and its member table's, when the caller's scope holds both).
        using var remembered = IntegerProgram.Remember();
        var graph = new CellGraph(_catalog, relations, scopes);
        var releases = earlier ?? [];
        DisclosureAudit.AddEarlier(graph, releases);
        graph.AddVersion("ny", rows.Select(r => new ReleaseRow(r.RowId, r.KpiId, r.Scope, r.ScopeId, r.Period, r.ThroughPeriod, r.Kon, r.Dimension,
            r.Numerator, r.Denominator)).ToList(), exact: true);
        DisclosureAudit.LinkCandidate(graph, releases.Count);
        if (years == ParticipantYears.CompleteYears) WithholdIncompleteYears(graph);
        var protection = SecondarySuppression.Protect(graph, withWidth: withWidth, progress: new ProtectionProgress(progress, ProgressEvery));

        var suppressed = new Dictionary<long, string>();
        bool Total(Node n) => SecondarySuppression.Cost(n).Level > 0 && n.Value >= MinPublished;
        foreach (var (row, cells) in graph.RowCells)
        {
            string? reason = null;
            foreach (var cell in cells.Select(c => graph.Nodes[c]).Where(n => !n.Published))
                reason = Stronger(reason, cell.Reason switch
                {
                    "1–4" => Suppression.SmallCount,
                    { } r when r.StartsWith("change", StringComparison.Ordinal) => Suppression.Change,
                    { } r when r.StartsWith("hidden in", StringComparison.Ordinal) => Suppression.Earlier,
                    IncompleteYearReason => Suppression.IncompleteYear,
                    _ when Total(cell) => Suppression.DerivableTotal,
                    _ => Suppression.Derivable,
                });
            if (reason is not null) suppressed[row] = reason;
        }
        var totalsHidden = graph.Nodes
            .Where(n => n.Version == graph.CandidateVersion && !n.Hidden && !n.Published && SecondarySuppression.ForAnother(n) && Total(n))
            .Select(n => n.Key.ToString()).Order(StringComparer.Ordinal).ToList();
        var audit = DisclosureAudit.Result(graph, protection.Audit, releases.Count, protection.Components, protection.Programs, protection.Solves, started.Elapsed);
        var cellCount = graph.Nodes.Count(n => n.Version == graph.CandidateVersion && !n.Hidden);
        return new ProtectionResult(suppressed, audit with { TotalsHidden = totalsHidden, ComplementRowsNotTried = protection.NotTried }, cellCount, protection.Primary, protection.Secondary, protection.Rounds);
    }

    /// <summary>Why a count of a year not complete at its level is hidden (<see cref="WithholdIncompleteYears"/>).</summary>
    internal const string IncompleteYearReason = "year not complete";

    /// <summary>
    /// Hides, as a primary count, every count of the version being made whose year is not complete at its level, and every count of
    /// that year's months: the release publishes complete years only. A federation's year is complete when its counts of the year
    /// run through December; a county's, and all federations', when theirs do and so does every federation of theirs with counts
    /// that year (their latest month is their latest federation's, and a total published before its last federation's December
    /// would change with it). The rule reads only the latest months delivered, which members see, so it tells nothing of the counts.
    /// </summary>
    internal static void WithholdIncompleteYears(CellGraph graph)
    {
        var candidate = graph.Nodes.Where(n => n.Version == graph.CandidateVersion && !n.Hidden).ToList();
        var through = candidate.Where(n => n.Key.Period.Length == 4)
            .GroupBy(n => (n.Key.Scope, n.Key.ScopeId, Year: n.Key.Period))
            .ToDictionary(g => g.Key, g => g.Select(n => n.Through).Min(StringComparer.Ordinal)!);
        bool December((string Scope, string ScopeId, string Year) level) =>
            through.TryGetValue(level, out var latest) && string.CompareOrdinal(latest, level.Year + "-12") >= 0;
        var complete = through.Keys.ToDictionary(level => level, level => December(level) && (level.Scope == "forbund" ||
            graph.FederationsOf(level.Scope, level.ScopeId).All(f => !through.ContainsKey(("forbund", f, level.Year)) || December(("forbund", f, level.Year)))));
        foreach (var node in candidate)
        {
            // A month whose year has no count at its level is withheld too: nothing says that the year is complete.
            if (node.Key.Period.Length >= 4 && complete.GetValueOrDefault((node.Key.Scope, node.Key.ScopeId, node.Key.Period[..4]))) continue;
            node.Reason ??= IncompleteYearReason;
            node.Withheld = true;
        }
    }

    private static readonly string[] Strength =
        [Suppression.SmallCount, Suppression.Change, Suppression.Earlier, Suppression.IncompleteYear, Suppression.DerivableTotal, Suppression.Derivable];

    private static string Stronger(string? a, string b) => a is null || Array.IndexOf(Strength, b) < Array.IndexOf(Strength, a) ? b : a;
}
