namespace Finsam.Pipeline.Disclosure;

/// <summary>
/// Chooses which counts of the version being made to hide, on a <see cref="CellGraph"/> with exact values.
/// <list type="number">
/// <item>Primary: every count from 1 to 4; every count whose change since an earlier release is from 1 to 4; every count
/// an earlier release hid for the same, unchanged period (hiding it now and not then would give it away).</item>
/// <item>Substitution: a relation with one unknown count gives it away. Where that count is hidden (or a never-published
/// count from 1 to 4), the smallest published count of that relation is hidden too; repeated until no relation gives
/// a protected count away.</item>
/// <item>The audit (<see cref="IntervalAudit"/>): where a count is still too well known in the linear programme of all
/// relations, the nearest smallest published count is hidden; then both steps again, until the audit passes.</item>
/// </list>
/// A count an earlier release published for the same, unchanged period is never chosen: it is already known.
/// </summary>
internal static class SecondarySuppression
{
    /// <param name="NotTried">Rows of complements that step 6 did not try to publish again, its budget spent (<see cref="ReleaseSolveBudget"/>).</param>
    public sealed record Result(IntervalAudit.Outcome Audit, int Rounds, int Primary, int Secondary, int Components, int Programs, int Solves, int Released = 0,
        int NotTried = 0);

    /// <param name="withWidth">Whether a verdict that passes reports the smallest interval (a solve for nearly every suppressed
    /// count; a caller that audits the release again for its record needs none).</param>
    /// <param name="solveBudget">The solves of step 6's trials after which rows without a total members lead with are no longer
    /// tried (<see cref="ReleaseSolveBudget"/>).</param>
    /// <param name="progress">What the protection is doing, for the person waiting on it.</param>
    public static Result Protect(CellGraph graph, int maxRounds = 500, bool withWidth = true, int solveBudget = ReleaseSolveBudget,
        ProtectionProgress? progress = null)
    {
        progress ??= new ProtectionProgress(null, TimeSpan.Zero);
        var adjacency = Adjacency(graph);
        var (result, chosen) = Choose(graph, adjacency, maxRounds, progress);
        // The choice's last audit (it passed), kept for the smallest interval where the verdict returned reports it.
        if (!withWidth) chosen?.Dispose();
        using var last = withWidth ? chosen : null;
        if (result.Audit.Failures.Count > 0) return result;
        // The trials are judged by the linear programmes alone (their rounded bounds), and the whole audit after them adds the
        // integer programmes where those are narrow. Should it disagree (an integer interval narrower than the relaxation's:
        // rare), the trials are made again with them; should the whole audit disagree again, the choice before stands.
        foreach (var relaxationOnly in new[] { true, false })
        {
            var released = Release(graph, adjacency, relaxationOnly, solveBudget, progress, out var notTried);
            // Rows not tried are counted where the trials' result stands; where it is undone (below), every row is hidden as chosen.
            result = result with { NotTried = notTried };
            if (released.Count == 0) break;
            progress.Step("auditing the result whole");
            using var audit = new IntervalAudit(graph, exact: true);
            var outcome = audit.Run(withWidth, progress);
            if (outcome.Failures.Count == 0)
                return result with
                {
                    Audit = outcome, Secondary = result.Secondary - released.Count, Released = released.Count,
                    Programs = result.Programs + audit.Programs, Solves = result.Solves + audit.Solves, Components = audit.Components,
                };
            progress.Step(relaxationOnly
                ? "the whole audit refused what the trials allowed: trying again with the integer programmes"
                : "the whole audit refused the counts published again: they stay hidden as chosen");
            foreach (var (node, reason) in released)
            {
                graph.Nodes[node].Published = false;
                graph.Nodes[node].Reason = reason;
            }
            result = result with { NotTried = 0 };
        }
        // The graph is as the choice left it, which its last audit saw.
        return withWidth ? result with { Audit = result.Audit with { SmallestWidth = last!.SmallestWidth() } } : result;
    }

    /// <summary>What hiding a count costs members, highest first: the order in which complements are published again.</summary>
    internal static (int Level, decimal Value) Cost(Node node) =>
        (node.Key.Scope is "lan" or "alla" ? 2 : KeyMeasures.Contains(node.Key.Measure) && node.Key.Period.Length == 4 ? 1 : 0, node.Value ?? 0);

    /// <summary>Hidden for another count's sake (a complement, or with its row), not for itself.</summary>
    internal static bool ForAnother(Node node) => node.Reason is "complement" or "complement (audit)" or "complement (widened)" or "with its row";

    /// <summary>The counts the report leads with: registrations, new and ended participants, and all participants.</summary>
    internal static readonly HashSet<string> KeyMeasures = ["deltagare", "nya", "avslutade", "deltagare_totalt"];

    /// <summary>How many rows of complements <see cref="Release"/> tries at once, at most.</summary>
    private const int ReleaseBatch = 8;

    /// <summary>
    /// The solves of the linear programmes, by the trials of <see cref="Release"/> (totals first), after which rows that show no
    /// total members lead with are no longer tried (those rows are always tried). A budget of work, not of time, so that a
    /// release's protection is the same on every machine: it bounds a release whose trials would otherwise take many minutes
    /// (every federation's month released at once nationally, docs/benchmarks.md), and leaves the rows not tried hidden, which
    /// is safe.
    /// </summary>
    internal const int ReleaseSolveBudget = 20_000;

    /// <summary>
    /// The complements' second look, most costly first: each suppressed row whose hidden counts are all complements is
    /// published again, with those counts, where the audit of what that can change (the counts' component once they are
    /// published) still passes. The choice of complements, made one failure at a time, hides more than the protection
    /// needs; this keeps only what it needs, and keeps the totals members use most. Returns the counts published again,
    /// with the reason they had.
    /// </summary>
    private static List<(int Node, string? Reason)> Release(CellGraph graph, List<int>[] adjacency, bool relaxationOnly, int solveBudget,
        ProtectionProgress progress, out int notTried)
    {
        var released = new List<(int, string?)>();
        var partners = IntervalAudit.Partners(graph);
        // One audit for every trial, made before them: a trial fixes the counts it publishes in its programmes.
        using var trials = new IntervalAudit(graph, exact: true, relaxationOnly: relaxationOnly);
        var rows = graph.RowCells
            .Select(r => (Row: r.Key, Hidden: r.Value.Distinct().Where(c => !graph.Nodes[c].Published).ToList()))
            .Where(r => r.Hidden.Count > 0 && r.Hidden.All(c => ForAnother(graph.Nodes[c]) && !graph.Nodes[c].Hidden))
            .Select(r => (r.Row, r.Hidden, Cost: r.Hidden.Select(c => Cost(graph.Nodes[c])).Max()))
            .OrderByDescending(r => r.Cost.Level).ThenByDescending(r => r.Cost.Value).ThenBy(r => r.Row)
            .ToList();
        // Rows are tried in batches, and a batch that fails is halved until each row is decided: the same rows are published
        // again as one by one in this order (publishing fewer counts never fails an audit that more passed), with fewer
        // audits that pass, which are the costly ones (every count of the component is checked). Where most rows fail, as
        // when a month of every federation is released at once, a batch costs more trials than its rows: the batches grow
        // after one that passed whole, and shrink to single rows after one that did not.
        bool Try(IReadOnlyList<List<int>> batch)
        {
            var hidden = batch.SelectMany(cells => cells).Distinct().Where(c => !graph.Nodes[c].Published && ForAnother(graph.Nodes[c])).ToList();
            if (hidden.Count == 0) return true;
            var reasons = hidden.Select(c => graph.Nodes[c].Reason).ToList();
            foreach (var c in hidden) graph.Nodes[c].Published = true;
            if (trials.PassesWith(hidden, IntervalAudit.Around(graph, adjacency, partners, hidden)))
            {
                for (var i = 0; i < hidden.Count; i++)
                {
                    graph.Nodes[hidden[i]].Reason = null;
                    released.Add((hidden[i], reasons[i]));
                }
                return true;
            }
            foreach (var c in hidden) graph.Nodes[c].Published = false;
            return false;
        }
        bool Decide(List<List<int>> batch)
        {
            if (batch.Count == 0 || Try(batch)) return true;
            if (batch.Count == 1) return false;
            Decide(batch[..(batch.Count / 2)]);
            Decide(batch[(batch.Count / 2)..]);
            return false;
        }
        var size = ReleaseBatch;
        var next = 0;
        if (rows.Count > 0) progress.Step($"trying to publish again {rows.Count} row(s) hidden to protect others, the costliest to members first");
        while (next < rows.Count)
        {
            // Rows without a total members lead with are tried while the budget lasts (they come after every such total).
            if (rows[next].Cost.Level == 0 && trials.LinearSolves >= solveBudget) break;
            var batch = rows.Skip(next).Take(size).TakeWhile(r => r.Cost.Level == rows[next].Cost.Level).Select(r => r.Hidden).ToList();
            next += batch.Count;
            size = Decide(batch) ? Math.Min(ReleaseBatch, size * 2) : Math.Max(1, size / 2);
            progress.Within(() => $"{next} of {rows.Count} row(s) tried, {released.Count} count(s) published again");
        }
        // A row not tried whose counts a total's trial published meanwhile is hidden no more.
        notTried = rows.Skip(next).Count(r => r.Hidden.Any(c => !graph.Nodes[c].Published));
        if (rows.Count > 0)
            progress.Step($"publishing again done: {next} of {rows.Count} row(s) tried, {released.Count} count(s) published again" +
                          (notTried > 0 ? $"; {notTried} row(s) not tried, the budget of work spent" : ""));
        return released;
    }

    /// <summary>Steps 1–5; returns the result and, when it passed, the whole audit that passed it (the caller disposes of it).</summary>
    private static (Result Result, IntervalAudit? Passed) Choose(CellGraph graph, List<int>[] adjacency, int maxRounds, ProtectionProgress progress)
    {
        var candidate = graph.CandidateVersion;
        var primary = 0;
        foreach (var node in graph.Nodes.Where(n => n.Version == candidate && !n.Hidden))
        {
            if (node.Value is >= 1 and < SmallCountProtection.MinPublished) node.Reason ??= "1–4";
            if (node.Reason is null || !node.Published) continue;
            node.Published = false;
            primary++;
        }
        progress.Step($"{primary} count(s) hidden for themselves (from 1 to 4, a change of 1 to 4, hidden before, or of a year not complete); choosing the counts that protect them");
        FreezeKnownFromEarlier(graph, adjacency);
        var secondary = 0;
        var (programs, solves, components) = (0, 0, 0);
        var partners = IntervalAudit.Partners(graph);
        // After the first round's whole audit, each round checks only the counts that failed the round before: the counts hidden
        // since then only widen every interval, so what passed still passes. (Not quite always: a programme that the releases make
        // infeasible counts as unbounded, and hiding a count can make it feasible; an integer programme out of time falls back to
        // the relaxation.) The whole audit runs again once they pass, and decides: a count it finds failing starts the rounds again.
        IReadOnlySet<int>? failed = null;
        for (var round = 1; ; round++)
        {
            do secondary += Substitute(graph, adjacency);
            while (WithTheirRows(graph) > 0);
            var audit = failed is null
                ? new IntervalAudit(graph, exact: true)
                : new IntervalAudit(graph, exact: true, IntervalAudit.Around(graph, adjacency, partners, failed), only: failed);
            var kept = false;
            try
            {
                // No smallest interval in the rounds: it costs a solve for nearly every suppressed count, and is reported once, at the end.
                var outcome = audit.Run(withWidth: false, failed is null ? progress : null);
                programs += audit.Programs;
                solves += audit.Solves;
                components = audit.Components;
                if (outcome.Failures.Count == 0 && failed is not null)
                {
                    // The counts that failed pass now: the whole audit, for the verdict (not a round of its own).
                    progress.Step($"round {round}: the counts the audit refused are protected now; auditing every count again");
                    failed = null;
                    round--;
                    continue;
                }
                if (outcome.Failures.Count == 0)
                {
                    progress.Step($"the audit passed after {round} round(s), {secondary} count(s) hidden to protect others");
                    // Handed to the caller, which disposes of it.
                    kept = true;
                    return (new Result(outcome, round, primary, secondary, components, programs, solves), audit);
                }
                // A refusal reports what the whole audit finds (every failure, and the smallest interval), not a round's few counts.
                var partial = failed is not null;
                Result Refused()
                {
                    if (!partial) return new Result(outcome with { SmallestWidth = audit.SmallestWidth() }, round, primary, secondary, components, programs, solves);
                    using var whole = new IntervalAudit(graph, exact: true);
                    return new Result(whole.Run(), round, primary, secondary, whole.Components, programs + whole.Programs, solves + whole.Solves);
                }
                if (round == maxRounds) return (Refused(), null);
                failed = outcome.Failures.Select(f => f.Node).ToHashSet();
                // One complement per failure, in the relations that bind it; a failure whose binding relations already got a new
                // hidden count this round waits for the next audit (that count may be enough for both).
                var added = 0;
                var touched = new HashSet<int>();
                foreach (var (failure, node, binding) in outcome.Failures)
                {
                    if (binding.Any(touched.Contains)) continue;
                    if (Complement(graph, adjacency, node, binding) is not { } chosen) continue;
                    Hide(graph.Nodes[chosen], "complement (audit)");
                    touched.UnionWith(adjacency[chosen]);
                    added++;
                }
                // The greedy choice is stuck (the relations that bind a failure have no count left to choose one at a time): widen.
                // Each such round hides at least one more published count, and a widened count is never published again, so the
                // loop ends: with an audit that passes, or with nothing left to hide (publishing then refuses).
                if (added == 0) added = Widen(graph, adjacency, outcome.Failures);
                if (added == 0) return (Refused(), null);
                secondary += added;
                progress.Within(() => $"round {round}: {outcome.Failures.Count} hidden count(s) could still be worked out; {added} more hidden, " +
                                      $"{secondary} in all so far");
            }
            finally
            {
                if (!kept) audit.Dispose();
            }
        }
    }

    /// <summary>
    /// Hides every count that can still be hidden in the relations that bind the failures; where none is left there, every
    /// one in the relations around each failing count's hidden neighbourhood (the unknown counts linked to it). Returns how
    /// many counts it hid (what the protection does not need is published again by <see cref="Release"/>).
    /// </summary>
    private static int Widen(CellGraph graph, List<int>[] adjacency, List<(DisclosureFailure Failure, int Node, int[] Binding)> failures)
    {
        var relations = failures.SelectMany(f => f.Binding).Distinct().ToList();
        var chosen = Hideable(graph, relations);
        if (chosen.Count == 0)
            chosen = Hideable(graph, IntervalAudit.Around(graph, adjacency, partners: null, failures.Select(f => f.Node)).Constraints);
        foreach (var n in chosen) Hide(graph.Nodes[n], "complement (widened)");
        return chosen.Count;
    }

    /// <summary>The counts of these relations that can be hidden.</summary>
    private static List<int> Hideable(CellGraph graph, IEnumerable<int> relations) =>
        relations.SelectMany(c => graph.Constraints[c].Terms.Select(t => t.Node)).Distinct().Where(n => Choosable(graph, graph.Nodes[n])).ToList();

    /// <summary>
    /// A suppressed row hides every count it shows: a count that only suppressed rows show is hidden too (the share of
    /// those without support whose denominator is hidden hides its numerator). Returns how many counts that hid.
    /// </summary>
    private static int WithTheirRows(CellGraph graph)
    {
        var hidden = 0;
        for (var changed = true; changed;)
        {
            changed = false;
            var shown = new bool[graph.Nodes.Count];
            foreach (var (row, cells) in graph.RowCells)
                if (cells.All(c => graph.Nodes[c].Published))
                    foreach (var c in graph.RowShows[row]) shown[c] = true;
            foreach (var node in graph.Nodes)
            {
                if (node.Version != graph.CandidateVersion || node.Hidden || !node.Published || shown[node.Index]) continue;
                Hide(node, "with its row");
                hidden++;
                changed = true;
            }
        }
        return hidden;
    }

    private static void Hide(Node node, string reason)
    {
        node.Published = false;
        node.Reason ??= reason;
    }

    /// <summary>
    /// Counts of the version being made that the earlier releases already give away, by substitution through the
    /// relations (a year to date that is the sum of months published before, unchanged): hiding them now would hide
    /// nothing, so they are never chosen as complements.
    /// </summary>
    private static void FreezeKnownFromEarlier(CellGraph graph, List<int>[] adjacency)
    {
        if (graph.CandidateVersion == 0) return;
        var candidate = graph.CandidateVersion;
        var value = graph.Nodes.Select(n => n.Version != candidate ? n.KnownValue : n.Frozen ? n.Value : null).ToArray();
        var unknown = new int[graph.Constraints.Count];
        var stack = new Stack<int>();
        for (var c = 0; c < graph.Constraints.Count; c++)
        {
            if (!graph.Constraints[c].Equality) continue;
            unknown[c] = graph.Constraints[c].Terms.Select(t => t.Node).Distinct().Count(n => value[n] is null);
            if (unknown[c] == 1) stack.Push(c);
        }
        while (stack.Count > 0)
        {
            var constraint = graph.Constraints[stack.Pop()];
            var missing = constraint.Terms.Where(t => value[t.Node] is null).ToList();
            if (missing.Count == 0 || missing.Select(t => t.Node).Distinct().Count() != 1 || missing.Sum(t => t.Coefficient) == 0) continue;
            var u = missing[0].Node;
            value[u] = -constraint.Terms.Where(t => t.Node != u).Sum(t => t.Coefficient * value[t.Node]!.Value) / missing.Sum(t => t.Coefficient);
            if (graph.Nodes[u].Version == candidate && !graph.Nodes[u].Hidden) graph.Nodes[u].Frozen = true;
            foreach (var next in adjacency[u])
                if (graph.Constraints[next].Equality && --unknown[next] == 1) stack.Push(next);
        }
    }

    internal static List<int>[] Adjacency(CellGraph graph)
    {
        var adjacency = new List<int>[graph.Nodes.Count];
        for (var i = 0; i < adjacency.Length; i++) adjacency[i] = [];
        for (var c = 0; c < graph.Constraints.Count; c++)
            foreach (var node in graph.Constraints[c].Terms.Select(t => t.Node).Distinct())
                adjacency[node].Add(c);
        return adjacency;
    }

    /// <summary>
    /// Works out every count that relations with one unknown count give away, as a reader would by substitution; where
    /// one of them is protected, hides a complement in the relation that gave it away, and starts again. Returns how many were hidden.
    /// </summary>
    private static int Substitute(CellGraph graph, List<int>[] adjacency)
    {
        var hidden = 0;
        while (true)
        {
            var value = new decimal?[graph.Nodes.Count];
            var derivedBy = new int[graph.Nodes.Count];
            var unknown = new int[graph.Constraints.Count];
            var stack = new Stack<int>();
            foreach (var node in graph.Nodes) value[node.Index] = node.KnownValue;
            for (var c = 0; c < graph.Constraints.Count; c++)
            {
                if (!graph.Constraints[c].Equality) continue;
                unknown[c] = graph.Constraints[c].Terms.Select(t => t.Node).Distinct().Count(n => value[n] is null);
                if (unknown[c] == 1) stack.Push(c);
            }
            var order = new List<int>();
            while (stack.Count > 0)
            {
                var c = stack.Pop();
                var constraint = graph.Constraints[c];
                var missing = constraint.Terms.Where(t => value[t.Node] is null).ToList();
                if (missing.Count == 0 || missing.Select(t => t.Node).Distinct().Count() != 1) continue;
                var u = missing[0].Node;
                var coefficient = missing.Sum(t => t.Coefficient);
                if (coefficient == 0) continue;
                var rest = constraint.Terms.Where(t => t.Node != u).Sum(t => t.Coefficient * value[t.Node]!.Value);
                value[u] = -rest / coefficient;
                derivedBy[u] = c;
                order.Add(u);
                foreach (var next in adjacency[u])
                    if (graph.Constraints[next].Equality && --unknown[next] == 1) stack.Push(next);
            }
            // In the order they were worked out: a count worked out from one that a complement of this pass hides, or
            // through a relation that now has a hidden count more, is no longer worked out that way: it waits for the next pass.
            var added = 0;
            var hiddenNow = new HashSet<int>();
            var stale = new HashSet<int>();
            foreach (var u in order)
            {
                var terms = graph.Constraints[derivedBy[u]].Terms;
                if (terms.Any(t => t.Node != u && (hiddenNow.Contains(t.Node) || stale.Contains(t.Node)))) { stale.Add(u); continue; }
                if (!Protected(graph.Nodes[u], value[u]!.Value)) continue;
                if (Complement(graph, adjacency, u, [derivedBy[u]]) is not { } chosen || !graph.Nodes[chosen].Published) continue;
                Hide(graph.Nodes[chosen], "complement");
                hiddenNow.Add(chosen);
                stale.Add(u);
                added++;
            }
            hidden += added;
            if (added == 0) return hidden;
        }
    }

    /// <summary>
    /// Whether working out this count is a disclosure: a count from 1 to 4, or one whose change since an earlier release is
    /// (working out 0 or 5 and more tells what a published count tells).
    /// </summary>
    private static bool Protected(Node node, decimal value) =>
        value is >= 1 and < SmallCountProtection.MinPublished || node.Reason?.StartsWith("change", StringComparison.Ordinal) == true;

    /// <summary>A count that may be hidden to protect another: of the version being made, published now, not already known from an earlier release.</summary>
    private static bool Choosable(CellGraph graph, Node node) =>
        node.Version == graph.CandidateVersion && !node.Hidden && node.Published && !node.Frozen;

    /// <summary>
    /// The count to hide so that <paramref name="node"/> is no longer given away: of the least costly level (<see cref="Cost"/>), the smallest positive published count of the
    /// relation that gives it away, else of the nearest relations around it (zero counts last: hiding a zero widens nothing downwards).
    /// </summary>
    private static int? Complement(CellGraph graph, List<int>[] adjacency, int node, IReadOnlyCollection<int> preferred)
    {
        int? Best(IEnumerable<int> candidates) => candidates.Distinct()
            .Where(n => Choosable(graph, graph.Nodes[n]))
            .OrderBy(n => Cost(graph.Nodes[n]).Level).ThenBy(n => graph.Nodes[n].Value > 0 ? 0 : 1).ThenBy(n => graph.Nodes[n].Value)
            .ThenBy(n => graph.Nodes[n].Key.ToString(), StringComparer.Ordinal)
            .Select(n => (int?)n).FirstOrDefault();
        if (Best(preferred.SelectMany(c => graph.Constraints[c].Terms.Select(t => t.Node))) is { } inRelation) return inRelation;
        if (Choosable(graph, graph.Nodes[node])) return node;
        // Breadth first through the unknown counts around it.
        var seen = new HashSet<int> { node };
        var frontier = new List<int> { node };
        while (frontier.Count > 0)
        {
            var around = frontier.SelectMany(n => adjacency[n]).Distinct().SelectMany(c => graph.Constraints[c].Terms.Select(t => t.Node)).Distinct().ToList();
            if (Best(around) is { } chosen) return chosen;
            frontier = around.Where(n => !graph.Nodes[n].Published && seen.Add(n)).ToList();
        }
        return null;
    }
}
