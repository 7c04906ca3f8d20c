using Google.OrTools.LinearSolver;

namespace Finsam.Pipeline.Disclosure;

/// <summary>
/// For every hidden count, the smallest and largest value consistent with everything the releases publish and every
/// relation between their counts, as a linear programme (GLOP) per connected component of hidden counts. A component
/// is solved only if the version being audited takes part in it (the earlier releases passed on their own).
/// <para>Rules (integer bounds: the LP bounds rounded inwards): no hidden count (suppressed or never published) lies
/// within 1–4 with an interval narrower than 3 (pinned to a value from 1 to 4 among them); the change of a count since an
/// earlier release never lies within 1–4 (or −4 to −1) with an interval narrower than 3. A hidden count may be pinned to
/// 0 or to 5 and more: that is what a published count tells.</para>
/// <para>Each item is first decided from the values that solutions already solved give it (an inner range that every
/// LP interval contains): only undecided items cost a solve.</para>
/// </summary>
internal sealed class IntervalAudit : IDisposable
{
    private const double Tolerance = 1e-6;
    public const int ProtectionWidth = 3;

    private readonly CellGraph _graph;
    private readonly bool _exact;
    private readonly int[] _component;
    private readonly List<List<int>> _componentConstraints = [];
    private readonly List<List<int>> _componentNodes = [];
    private readonly Dictionary<int, (double Low, double High)> _inner = [];
    private readonly Dictionary<int, (double Low, double High)> _full = [];
    private readonly Dictionary<int, ComponentProgram> _programs = [];
    private readonly int[] _rep;
    private readonly List<Effective> _effective = [];

    /// <summary>A relation over the unknown counts (each by its representative), with the published counts summed into a constant.</summary>
    private sealed record Effective(int Original, (int Node, int Coefficient)[] Terms, double Constant, bool Equality);

    private readonly IReadOnlyCollection<int> _constraints;
    private readonly bool _relaxationOnly;
    private IReadOnlySet<int>? _nodes;
    /// <summary>The counts of <see cref="_nodes"/>, nearest to those published first: the order of a trial's checks.</summary>
    private IReadOnlyList<int>? _nearest;
    /// <summary>The representatives of the counts a round checks (null: every count is checked).</summary>
    private readonly HashSet<int>? _only;
    private readonly bool _guessNotZero;

    /// <summary>
    /// Whether a count or a change is decided, where it can be, from the values that solutions already solved give it (true), or
    /// always by its own programmes (false: the tests' measure of that shortcut; the verdicts are the same).
    /// </summary>
    internal bool DecideFromSolutions { get; init; } = true;

    /// <param name="around">Only the relations and counts around some counts (<see cref="Around"/>): what publishing them can
    /// change; null: every relation and count.</param>
    /// <param name="guessNotZero">The attacker who guesses that a hidden count is not zero, and is right every time: each
    /// hidden count whose exact value is known and not zero starts at 1 instead of 0 (the audit's second figure).</param>
    /// <param name="relaxationOnly">The linear programmes' rounded bounds only, no integer programme (a trial whose verdict a
    /// whole audit with them confirms).</param>
    /// <param name="only">Only these counts, and the changes of these counts, are checked (null: every one): those that failed an
    /// audit before more counts were hidden, which cannot make any other count fail (hiding a published count only widens
    /// the intervals: its value stays one the unknown can take).</param>
    public IntervalAudit(CellGraph graph, bool exact, Region? around = null, bool guessNotZero = false,
        bool relaxationOnly = false, IReadOnlySet<int>? only = null)
    {
        _relaxationOnly = relaxationOnly;
        _graph = graph;
        _exact = exact;
        _guessNotZero = guessNotZero;
        // In the relations' order, as for a whole audit: the representatives and which of two equal relations is kept are the same.
        _constraints = around?.Constraints.Order().ToList() ?? Enumerable.Range(0, graph.Constraints.Count).ToList();
        _nodes = around?.Nodes;
        _nearest = around?.Nearest;
        _component = new int[graph.Nodes.Count];
        Array.Fill(_component, -1);
        _rep = Representatives();
        // A count checked by a round is followed to its representative: a count hidden since may have become that.
        _only = only?.Select(n => _rep[n]).ToHashSet();
        if (guessNotZero)
            _notZero = graph.Nodes.Where(n => !n.Published && n.Value is > 0).Select(n => _rep[n.Index]).ToHashSet();
        BuildEffective();
        BuildComponents();
    }

    public void Dispose()
    {
        foreach (var program in _programs.Values) program.Dispose();
        _programs.Clear();
    }

    /// <summary>
    /// Per count, which of its LP bounds a solution in whole counts reached (that bound is the integer one: no integer
    /// programme needed for it), and which of the last solve's two did.
    /// </summary>
    private readonly Dictionary<int, (bool Low, bool High)> _integral = [];
    private (bool Low, bool High) _lastIntegral;
    /// <summary>The integer interval of each variable whose integer programmes were solved.</summary>
    private readonly Dictionary<int, (double Low, double High)> _integerBounds = [];
    public int Programs { get; private set; }
    /// <summary>Integer programmes (CP-SAT) solved to confirm narrow intervals (not those whose optimum was remembered, <see cref="IntegerProgram"/>).</summary>
    public int IntegerSolves { get; private set; }

    /// <summary>
    /// Where the rounded LP interval is narrow (at most 4 wide), the integer one can be narrower still (a relaxation's bounds
    /// need not be reached by whole counts): the integer bounds by CP-SAT, over the count's component. Wider intervals stay
    /// as the LP gives them (the rules cannot fail there once rounded).
    /// </summary>
    private (double Low, double High) Integer(int node, (double Low, double High) rounded)
    {
        if (_relaxationOnly) return rounded;
        // A bound reached by whole counts (the solution found was integral) is the integer one. Both: the integer interval is the
        // relaxation's. A low bound of 0 or a high one of 5 and more so reached: the rule holds whatever the other is.
        var reached = _integral.GetValueOrDefault(_rep[node]);
        if ((reached.Low && reached.High) || (reached.Low && rounded.Low < 1) || (reached.High && rounded.High >= SmallCountProtection.MinPublished))
            return rounded;
        if (double.IsInfinity(rounded.High) || double.IsInfinity(rounded.Low) || rounded.High - rounded.Low > 4 || _component[node] < 0) return rounded;
        // One variable, one integer interval: counts that are one variable (the same count in several releases) share it.
        if (_integerBounds.TryGetValue(_rep[node], out var solved)) return solved;
        var constraints = _componentConstraints[_component[node]].Select(e => _effective[e]).ToList();
        if (constraints.Any(c => c.Constant != Math.Round(c.Constant))) return rounded;
        var variables = _componentNodes[_component[node]]
            .Select(n => (n, (long)Lower(n), _fixed.TryGetValue(n, out var v) ? (long?)(long)Math.Round(v) : null)).ToList();
        var relations = constraints.Select(c => new IntegerProgram.Relation(c.Terms, (long)Math.Round(-c.Constant), c.Equality)).ToList();
        long? Bound(bool maximise)
        {
            // The solution found is in whole counts: every count of the component can take its value (Decided relies on it). Not in
            // a trial: step 6's budget counts the trials' linear solves, which must not depend on what was remembered before.
            var optimum = IntegerProgram.Optimum(variables, relations, _rep[node], maximise, out var ran, _firstOnly ? null : ObserveWhole);
            if (ran) IntegerSolves++;
            return optimum;
        }
        var low = reached.Low ? (long)rounded.Low : Bound(false);
        var high = reached.High ? (long)rounded.High : Bound(true);
        // Not solved in time: the LP's bounds, which contain the integer ones.
        return _integerBounds[_rep[node]] = (Math.Max(rounded.Low, low ?? rounded.Low), Math.Min(rounded.High, high ?? rounded.High));
    }
    /// <summary>Solutions recorded (each bound of each count or change solved, in whole counts unless relaxation only).</summary>
    public int Solves { get; private set; }
    /// <summary>Every solve of a linear programme, whatever its solution: the work step 6's budget counts.</summary>
    public int LinearSolves { get; private set; }
    public int Components => _componentNodes.Count;

    private bool Unknown(int node) => !_graph.Nodes[node].Published;

    /// <summary>
    /// A variable's smallest value: 0, or 1 for the attacker who guesses that a hidden count is not zero, where indeed it is not (its
    /// value known, as the publisher knows the version being made; one count of a variable that is not zero makes it so).
    /// </summary>
    private double Lower(int representative) => _guessNotZero && _notZero.Contains(representative) ? 1 : 0;

    private HashSet<int> _notZero = [];

    /// <summary>
    /// Two unknown counts that a relation says are equal (the same count in two releases, the age group "anonym" and the
    /// anonymous participants) are one variable: the one of the version being made, else the later one.
    /// </summary>
    private int[] Representatives()
    {
        var parent = Enumerable.Range(0, _graph.Nodes.Count).ToArray();
        int Root(int x) { while (parent[x] != x) x = parent[x] = parent[parent[x]]; return x; }
        foreach (var c in _constraints.Select(i => _graph.Constraints[i]))
        {
            if (!c.Equality || c.Terms.Length != 2 || c.Terms[0].Coefficient + c.Terms[1].Coefficient != 0) continue;
            var (a, b) = (c.Terms[0].Node, c.Terms[1].Node);
            if (!Unknown(a) || !Unknown(b)) continue;
            var (ra, rb) = (Root(a), Root(b));
            if (ra == rb) continue;
            // The representative: the version being made first, then the later release.
            if (_graph.Nodes[ra].Version > _graph.Nodes[rb].Version) parent[rb] = ra; else parent[ra] = rb;
        }
        return Enumerable.Range(0, parent.Length).Select(Root).ToArray();
    }

    /// <summary>The relations over representatives, without those left with no unknown count, and each only once.</summary>
    private void BuildEffective()
    {
        var seen = new HashSet<string>();
        foreach (var c in _constraints)
        {
            var constraint = _graph.Constraints[c];
            double constant = 0;
            var terms = new Dictionary<int, int>();
            foreach (var (node, coefficient) in constraint.Terms)
            {
                if (!Unknown(node)) { constant += coefficient * (double)_graph.Nodes[node].Value!.Value; continue; }
                terms[_rep[node]] = terms.GetValueOrDefault(_rep[node]) + coefficient;
            }
            var kept = terms.Where(t => t.Value != 0).OrderBy(t => t.Key).Select(t => (t.Key, t.Value)).ToArray();
            if (kept.Length == 0) continue;
            var key = $"{constraint.Equality}|{constant.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}|{string.Join(",", kept.Select(t => $"{t.Key}:{t.Value}"))}";
            if (seen.Add(key)) _effective.Add(new Effective(c, kept, constant, constraint.Equality));
        }
    }

    private void BuildComponents()
    {
        var parent = Enumerable.Range(0, _graph.Nodes.Count).ToArray();
        int Root(int x) { while (parent[x] != x) x = parent[x] = parent[parent[x]]; return x; }
        var active = new List<int>();
        for (var e = 0; e < _effective.Count; e++)
        {
            var unknown = _effective[e].Terms.Select(t => t.Node).ToList();
            active.Add(e);
            foreach (var u in unknown.Skip(1)) parent[Root(u)] = Root(unknown[0]);
        }
        var ids = new Dictionary<int, int>();
        int Id(int node)
        {
            var root = Root(node);
            if (!ids.TryGetValue(root, out var id))
            {
                ids[root] = id = _componentNodes.Count;
                _componentNodes.Add([]);
                _componentConstraints.Add([]);
            }
            return id;
        }
        foreach (var e in active) _componentConstraints[Id(_effective[e].Terms[0].Node)].Add(e);
        for (var n = 0; n < _graph.Nodes.Count; n++)
        {
            if (!Unknown(n) || _rep[n] != n || !ids.ContainsKey(Root(n))) continue;
            _component[n] = Id(n);
            _componentNodes[_component[n]].Add(n);
        }
        for (var n = 0; n < _graph.Nodes.Count; n++)
            if (_rep[n] != n) _component[n] = _component[_rep[n]];
    }

    /// <summary>
    /// Relations and counts around some counts (<see cref="Around"/>); <see cref="Nearest"/> holds the counts in the order they
    /// were reached, nearest first.
    /// </summary>
    public sealed record Region(IReadOnlyCollection<int> Constraints, IReadOnlySet<int> Nodes, IReadOnlyList<int> Nearest);

    /// <summary>
    /// What publishing <paramref name="counts"/> can change: the relations they are in, and every relation and count linked to
    /// those through counts that stay unknown (their connected component once the counts are published), with the counts
    /// themselves; a count's other self in another release (<see cref="CellGraph.Differences"/>, by <see cref="Partners"/>)
    /// is linked too, since their change is audited (null: no other selves followed).
    /// </summary>
    public static Region Around(CellGraph graph, List<int>[] adjacency, ILookup<int, int>? partners, IEnumerable<int> counts)
    {
        var nearest = counts.Distinct().ToList();
        var nodes = new HashSet<int>(nearest);
        var constraints = new HashSet<int>();
        var frontier = new Queue<int>(nearest);
        void Reach(int n)
        {
            nearest.Add(n);
            if (!graph.Nodes[n].Published) frontier.Enqueue(n);
        }
        while (frontier.Count > 0)
        {
            var node = frontier.Dequeue();
            // A published other self is a constant: its change is checked, nothing is reached through it.
            foreach (var p in partners?[node] ?? [])
                if (nodes.Add(p)) Reach(p);
            foreach (var c in adjacency[node])
            {
                if (!constraints.Add(c)) continue;
                foreach (var (n, _) in graph.Constraints[c].Terms)
                    if (!graph.Nodes[n].Published && nodes.Add(n)) Reach(n);
            }
        }
        return new Region(constraints, nodes, nearest);
    }

    /// <summary>Each count's other selves in the releases it is compared with (both ends of every <see cref="CellGraph.Differences"/>).</summary>
    public static ILookup<int, int> Partners(CellGraph graph) =>
        graph.Differences.SelectMany(d => new[] { (d.Earlier, d.Candidate), (d.Candidate, d.Earlier) }).ToLookup(p => p.Item1, p => p.Item2);

    /// <summary>Whether a component involves the version being made: one of its counts, or a relation with one of its counts.</summary>
    private bool Touched(int component) =>
        _componentNodes[component].Any(n => _graph.Nodes[n].Version == _graph.CandidateVersion)
        || _componentConstraints[component].Any(e => _graph.Constraints[_effective[e].Original].Terms.Any(t => _graph.Nodes[t.Node].Version == _graph.CandidateVersion));

    /// <param name="Failures">Each failure with the count to protect and the relations that bind it.</param>
    public sealed record Outcome(List<(DisclosureFailure Failure, int Node, int[] Binding)> Failures, int SuppressedCells, decimal? SmallestWidth);

    /// <summary>Whether the audit passes, stopping at the first failure (nothing said about it: a trial, not a report).</summary>
    public bool Passes()
    {
        _firstOnly = true;
        return Run(withWidth: false).Failures.Count == 0;
    }

    private bool _firstOnly;
    /// <summary>Whether a programme was infeasible since a trial began.</summary>
    private bool _infeasible;
    private HashSet<int>? _touched;
    private ILookup<int, int>? _changesOf;

    /// <summary>Counts a trial published (by representative), at their exact values: fixed in the programmes.</summary>
    private readonly Dictionary<int, double> _fixed = [];

    /// <summary>
    /// A trial of an audit made before the trials (<see cref="SecondarySuppression"/>'s step 6): whether the audit still passes
    /// once <paramref name="published"/> (counts this audit saw unknown, now marked published in the graph) are published,
    /// checking what <paramref name="region"/> says that can change (<see cref="Around"/>). Each count is fixed at its exact
    /// value in the programmes this audit keeps, which start from their last solution, instead of being built again without
    /// it; the programmes' values are the same. A trial that passes keeps them fixed; one that fails frees them (the caller
    /// marks them unknown again).
    /// </summary>
    public bool PassesWith(IReadOnlyCollection<int> published, Region region)
    {
        var fixedNow = new List<int>();
        foreach (var cell in published)
        {
            var node = _graph.Nodes[cell];
            if (!node.Published || node.Value is not { } value)
                throw new InvalidOperationException($"A trial publishes {node}, which the graph does not hold published with its value.");
            var rep = _rep[cell];
            if (_component[rep] < 0 || _fixed.ContainsKey(rep)) continue;
            Program(_component[rep]).Fix(rep, (double)value);
            _fixed[rep] = (double)value;
            fixedNow.Add(rep);
        }
        // What the solutions before showed held before these counts were fixed.
        ForgetSolutions();
        (_nodes, _nearest, _firstOnly) = (region.Nodes, region.Nearest, true);
        _infeasible = false;
        var passes = Run(withWidth: false).Failures.Count == 0;
        if (_infeasible)
        {
            // A programme the releases make infeasible is audited as unbounded. Fixed counts split a component into parts that
            // are still one programme here, so a contradiction in a part outside the region would pass every count of the
            // others: the verdict is a new audit's of the region, whose programmes are its own.
            using var fresh = new IntervalAudit(_graph, _exact, region, relaxationOnly: _relaxationOnly);
            passes = fresh.Passes();
            LinearSolves += fresh.LinearSolves;
        }
        if (!passes)
        {
            foreach (var rep in fixedNow)
            {
                Program(_component[rep]).Free(rep, Lower(rep));
                _fixed.Remove(rep);
            }
            ForgetSolutions();
        }
        return passes;
    }

    /// <summary>Forgets what solutions showed, and the intervals solved: they held for the counts fixed when they were found.</summary>
    private void ForgetSolutions()
    {
        _inner.Clear();
        _full.Clear();
        _integral.Clear();
        _integerBounds.Clear();
        _changeInner.Clear();
    }

    /// <param name="withWidth">Whether a whole audit also reports the smallest interval (a solve for nearly every suppressed
    /// count): the verdict of record does, a round of the protection's choice does not need it.</param>
    /// <param name="progress">Where a whole audit says how far it has come (a late release's takes minutes).</param>
    public Outcome Run(bool withWidth = true, ProtectionProgress? progress = null)
    {
        var failures = new List<(DisclosureFailure, int, int[])>();
        var touched = _touched ??= Enumerable.Range(0, _componentNodes.Count).Where(Touched).ToHashSet();
        var candidate = _graph.CandidateVersion;
        var suppressed = new List<int>();
        // Checks a count; true when a trial can stop (it failed).
        bool CheckCount(Node node)
        {
            if (node.Published) return false;
            var component = _component[node.Index];
            if (node.Version == candidate && !node.Hidden) suppressed.Add(node.Index);
            if (component < 0 || !touched.Contains(component)) return false;
            if (_only is not null && !_only.Contains(_rep[node.Index])) return false;
            // One variable with a count of the version being made: audited as that count.
            if (_rep[node.Index] != node.Index && _graph.Nodes[_rep[node.Index]].Version == candidate) return false;
            // A count the publisher knows to be 0 or 5 and more (suppressed, or never published; of an earlier release, by its
            // record) has an interval that holds that value, never one inside 1–4: it may be derived, as a published count is.
            if (PublisherValue(node) is { } v && v is < 1 or >= SmallCountProtection.MinPublished) return false;
            if (DecideFromSolutions && Decided(node.Index, SmallRangeOk)) return false;
            var (low, high) = Full(node.Index);
            // A trial needs no integer programme where the relaxation already fails (the integer interval lies within it).
            var rounded = _firstOnly && !SmallRangeOk(Round(low, high)) ? Round(low, high) : Integer(node.Index, Round(low, high));
            if (SmallRangeOk(rounded)) return false;
            failures.Add(Failure(node.Index, rounded.Low, rounded.High, rounded.Low == rounded.High ? "is pinned to one value" : "lies within 1–4"));
            return _firstOnly;
        }
        // Checks a change; true when a trial can stop (it failed).
        bool CheckChange(Difference d)
        {
            if ((_nodes is null || _nodes.Contains(d.Candidate) || _nodes.Contains(d.Earlier))
                && (_only is null || _only.Contains(_rep[d.Candidate]) || _only.Contains(_rep[d.Earlier])))
                CheckDifference(d, failures);
            return _firstOnly && failures.Count > 0;
        }
        if (_firstOnly && _nearest is not null)
        {
            // A trial looks at the counts nearest to those it publishes first, each with its changes: a trial that fails mostly
            // fails there, and stops early. The order changes nothing else.
            var changesOf = _changesOf ??= _graph.Differences.SelectMany((d, i) => new[] { (Node: d.Earlier, Change: i), (Node: d.Candidate, Change: i) })
                .ToLookup(x => x.Node, x => x.Change);
            var checkedChanges = new HashSet<int>();
            foreach (var n in _nearest)
            {
                if (CheckCount(_graph.Nodes[n])) return new Outcome(failures, suppressed.Count, null);
                foreach (var d in changesOf[n])
                    if (checkedChanges.Add(d) && CheckChange(_graph.Differences[d])) return new Outcome(failures, suppressed.Count, null);
            }
            return new Outcome(failures, suppressed.Count, null);
        }
        // How far a loop has come after its item i of count: said as whole percents, each at most once.
        void Said(int i, int count, string what)
        {
            if (progress is not null && 100 * (i + 1) / count is var percent && percent > 100 * i / count)
                progress.Within(() => $"{percent}% of {what} checked");
        }
        for (var i = 0; i < _graph.Nodes.Count; i++)
        {
            if (CheckCount(_graph.Nodes[i])) return new Outcome(failures, suppressed.Count, null);
            Said(i, _graph.Nodes.Count, "the counts");
        }
        for (var i = 0; i < _graph.Differences.Count; i++)
        {
            if (CheckChange(_graph.Differences[i])) return new Outcome(failures, suppressed.Count, null);
            Said(i, _graph.Differences.Count, "the changes since earlier releases");
        }
        // A check of some counts only (a round of the protection's choice) reports no smallest interval: it would solve every count.
        if (_firstOnly || _only is not null || !withWidth) return new Outcome(failures, suppressed.Count, null);
        return new Outcome(failures, suppressed.Count, SmallestWidth());
    }

    private static (double Low, double High) Round(double low, double high) =>
        (Math.Ceiling(low - Tolerance), double.IsPositiveInfinity(high) ? high : Math.Floor(high + Tolerance));

    private static bool InSmallRange((double Low, double High) r) =>
        r.Low >= 1 && r.High <= SmallCountProtection.MinPublished - 1 && r.High - r.Low < ProtectionWidth;

    private static bool SmallRangeOk((double Low, double High) r) => !InSmallRange(r);

    private static bool ChangeOk((double Low, double High) r) => !InSmallRange(r) && !InSmallRange((-r.High, -r.Low));

    /// <summary>True when the values solutions already gave the count decide the rule in its favour (every LP interval contains them).</summary>
    private bool Decided(int n, Func<(double, double), bool> ok) => Decided2(_rep[n], ok);

    private bool Decided2(int node, Func<(double, double), bool> ok) =>
        _full.TryGetValue(node, out var full) ? ok(Round(full.Low, full.High)) : _inner.TryGetValue(node, out var inner) && ok(InnerRounded(inner));

    /// <summary>Integer values that the LP interval surely reaches: the observed range rounded outwards is inside the rounded LP interval.</summary>
    private static (double, double) InnerRounded((double Low, double High) r) => (Math.Ceiling(r.Low - Tolerance), Math.Floor(r.High + Tolerance));

    /// <summary>
    /// The value of a count as the publisher knows it: published, exact (the version being made, when audited with its exact
    /// values), or hidden by an earlier release whose record keeps it; null when unknown.
    /// </summary>
    private decimal? PublisherValue(Node node) => node.Published || node.Version != _graph.CandidateVersion || _exact ? node.Value : null;

    private void CheckDifference(Difference d, List<(DisclosureFailure, int, int[])> failures)
    {
        var (earlier, later) = (_graph.Nodes[d.Earlier], _graph.Nodes[d.Candidate]);
        // A change the publisher knows to be 0 or of 5 and more lies in its interval: it may be derived.
        if (!(earlier.Published && later.Published) && PublisherValue(earlier) is { } before && PublisherValue(later) is { } after
            && Math.Abs(after - before) is 0 or >= SmallCountProtection.MinPublished)
            return;
        if (earlier.Published && later.Published)
        {
            var change = (double)(later.Value!.Value - earlier.Value!.Value);
            if (!ChangeOk((change, change)))
                failures.Add((new DisclosureFailure($"{later} [{_graph.VersionLabels[later.Version]} − {_graph.VersionLabels[earlier.Version]}]",
                    (decimal)change, (decimal)change, "changed by a count from 1 to 4 since an earlier release", []), d.Candidate, []));
            return;
        }
        (double Low, double High) interval;
        if (!earlier.Published && !later.Published && _component[d.Earlier] >= 0 && _component[d.Earlier] == _component[d.Candidate])
        {
            if (_rep[d.Earlier] == _rep[d.Candidate]) interval = (0, 0);
            // Decided by the solutions already solved, as a count is (Decided): the change's interval holds every value they gave it.
            else if (DecideFromSolutions && _changeInner.TryGetValue((_rep[d.Candidate], _rep[d.Earlier]), out var seen) && ChangeOk(InnerRounded(seen))) return;
            else interval = Solve(_component[d.Candidate], [(_rep[d.Candidate], 1), (_rep[d.Earlier], -1)]);
        }
        else
        {
            // Counts in separate components (or one published) move independently: the values solutions gave each, combined.
            if (DecideFromSolutions && Seen(later) is { } ls && Seen(earlier) is { } es && ChangeOk(InnerRounded((ls.Low - es.High, ls.High - es.Low)))) return;
            var l = later.Published ? ((double)later.Value!.Value, (double)later.Value!.Value) : Full(d.Candidate);
            var e = earlier.Published ? ((double)earlier.Value!.Value, (double)earlier.Value!.Value) : Full(d.Earlier);
            interval = (l.Item1 - e.Item2, l.Item2 - e.Item1);
        }
        var rounded = (Math.Ceiling(interval.Low - Tolerance), Math.Floor(interval.High + Tolerance));
        if (!ChangeOk(rounded))
        {
            // The relations that narrow the hidden side. The failure is the count of the version being made even where it is the
            // published side (an earlier release hid the count, and its relations pin it): that count is what the protection can
            // hide, as it hides a count whose change since a release that published it is from 1 to 4.
            var binding = _firstOnly ? [] : Binding(later.Published ? d.Earlier : d.Candidate);
            failures.Add((new DisclosureFailure($"{later} [{_graph.VersionLabels[later.Version]} − {_graph.VersionLabels[earlier.Version]}]",
                ToDecimal(interval.Low), ToDecimal(interval.High), "its change since an earlier release lies within 1–4", Describe(binding)), d.Candidate, binding));
        }
    }

    /// <summary>
    /// The smallest interval width among the suppressed counts of the version being made, as a whole audit reports it. Counts withheld
    /// because their year is not complete are left out, and so are the counts of their components: every count of such a year is
    /// hidden, and its relations join the whole country's counts of that year, and of the year before, into one programme, which a
    /// solve for each count would take many minutes over nationally. The verdict checks them all.
    /// </summary>
    public decimal? SmallestWidth()
    {
        var candidate = _graph.Nodes.Where(n => !n.Published && n.Version == _graph.CandidateVersion && !n.Hidden).ToList();
        var withheld = candidate.Where(n => n.Withheld).Select(n => _component[_rep[n.Index]]).Where(c => c >= 0).ToHashSet();
        return SmallestWidth(candidate.Where(n => !n.Withheld && !withheld.Contains(_component[_rep[n.Index]])).Select(n => n.Index).ToList());
    }

    /// <summary>The smallest interval width among the suppressed counts of the version being made, leaving out those pinned at 0 (null: none, or none bounded).</summary>
    private decimal? SmallestWidth(List<int> suppressed)
    {
        double best = double.PositiveInfinity;
        var order = suppressed.Select(n => _rep[n]).Distinct()
            .Select(n => (Node: n, Inner: _full.TryGetValue(n, out var f) ? f.High - f.Low : _inner.TryGetValue(n, out var i) ? i.High - i.Low : 0))
            .OrderBy(x => x.Inner).ToList();
        foreach (var (node, inner) in order)
        {
            if (inner >= best) break;
            if (_component[node] < 0) continue; // in no relation: [0, ∞)
            var (low, high) = Full(node);
            var r = Round(low, high);
            // A count pinned at 0 (a zero hidden with its row) or at 5 and more tells what a published count tells: left out.
            if (r.High == r.Low && r.Low is 0 or >= SmallCountProtection.MinPublished) continue;
            best = Math.Min(best, r.High - r.Low);
        }
        return double.IsPositiveInfinity(best) ? null : (decimal)best;
    }

    /// <summary>A count's value as published, or the values solutions already solved gave it (null: none yet).</summary>
    private (double Low, double High)? Seen(Node node) =>
        node.Published ? ((double)node.Value!.Value, (double)node.Value!.Value)
        : _full.TryGetValue(_rep[node.Index], out var full) ? full
        : _inner.TryGetValue(_rep[node.Index], out var inner) ? inner : null;

    private (double Low, double High) Full(int n)
    {
        var node = _rep[n];
        if (_full.TryGetValue(node, out var known)) return known;
        if (_component[node] < 0) return _full[node] = (0, double.PositiveInfinity);
        var bounds = _full[node] = Solve(_component[node], [(node, 1)]);
        if (_lastIntegral.Low || _lastIntegral.High) _integral[node] = _lastIntegral;
        return bounds;
    }

    private (double Low, double High) Solve(int component, (int Node, int Coefficient)[] objective)
    {
        var program = Program(component);
        _lastIntegral = (false, false);
        var low = program.Optimise(objective, maximise: false, this);
        var high = program.Optimise(objective, maximise: true, this);
        return (low, high);
    }

    private ComponentProgram Program(int component)
    {
        if (_programs.TryGetValue(component, out var program)) return program;
        Programs++;
        return _programs[component] = new ComponentProgram(component, _componentNodes[component], _componentConstraints[component].Select(e => _effective[e]).ToList(), Lower);
    }

    /// <summary>
    /// The changes audited between two unknown counts of one component (a count and its other self in an earlier release, each
    /// by its representative), by component; made when first needed.
    /// </summary>
    private Dictionary<int, List<(int Candidate, int Earlier)>>? _changesByComponent;

    /// <summary>Per change of <see cref="_changesByComponent"/>: the values of the change that solutions already solved give.</summary>
    private readonly Dictionary<(int Candidate, int Earlier), (double Low, double High)> _changeInner = [];

    /// <summary>
    /// Records the values a solution of a component's linear programme gives the changes in it (any solution: the change's
    /// audit is the relaxation's, its bounds rounded inwards).
    /// </summary>
    private void ObserveChanges(int component, IReadOnlyDictionary<int, int> position, IReadOnlyList<double> values)
    {
        _changesByComponent ??= _graph.Differences
            .Where(d => !_graph.Nodes[d.Earlier].Published && !_graph.Nodes[d.Candidate].Published && _component[d.Earlier] >= 0
                        && _component[d.Earlier] == _component[d.Candidate] && _rep[d.Earlier] != _rep[d.Candidate])
            .Select(d => (Component: _component[d.Candidate], Change: (_rep[d.Candidate], _rep[d.Earlier])))
            .Distinct()
            .GroupBy(c => c.Component)
            .ToDictionary(g => g.Key, g => g.Select(c => c.Change).ToList());
        if (!_changesByComponent.TryGetValue(component, out var changes)) return;
        foreach (var change in changes)
        {
            var v = values[position[change.Candidate]] - values[position[change.Earlier]];
            _changeInner[change] = _changeInner.TryGetValue(change, out var r) ? (Math.Min(r.Low, v), Math.Max(r.High, v)) : (v, v);
        }
    }

    /// <summary>Records a value in whole counts that a count can take (from an integer programme's solution).</summary>
    private void ObserveWhole(int node, long value) =>
        _inner[node] = _inner.TryGetValue(node, out var r) ? (Math.Min(r.Low, value), Math.Max(r.High, value)) : (value, value);

    /// <summary>Records a solution's values: each count can take them.</summary>
    private void Observe(IReadOnlyList<int> nodes, IReadOnlyList<double> values)
    {
        Solves++;
        for (var i = 0; i < nodes.Count; i++)
        {
            var v = values[i];
            _inner[nodes[i]] = _inner.TryGetValue(nodes[i], out var r) ? (Math.Min(r.Low, v), Math.Max(r.High, v)) : (v, v);
        }
    }

    private List<string> Describe(int[] constraints) => constraints.Select(c => _graph.Constraints[c].Describe(_graph.Nodes, _graph.VersionLabels)).ToList();

    /// <summary>The relations that bind a count at its smallest and largest value (non-zero dual values).</summary>
    private int[] Binding(int node)
    {
        if (_component[node] < 0) return [];
        var program = Program(_component[node]);
        var binding = new HashSet<int>();
        foreach (var maximise in new[] { false, true })
        {
            program.Optimise([(_rep[node], 1)], maximise, this);
            binding.UnionWith(program.BindingConstraints());
        }
        return binding.Order().ToArray();
    }

    private (DisclosureFailure, int, int[]) Failure(int node, double low, double high, string problem)
    {
        var n = _graph.Nodes[node];
        var label = _graph.VersionLabels.Count > 1 ? $"{n} [{_graph.VersionLabels[n.Version]}]" : n.ToString();
        if (n.Hidden) label += " (hidden count)";
        else if (n.Reason is not null) label += $" (hidden: {n.Reason})";
        var binding = _firstOnly ? [] : Binding(node);
        return (new DisclosureFailure(label, ToDecimal(Math.Ceiling(low - Tolerance)), ToDecimal(Math.Floor(high + Tolerance)), problem, Describe(binding)), node, binding);
    }

    private static decimal? ToDecimal(double value) => double.IsInfinity(value) ? null : Math.Round((decimal)value, 6);

    /// <summary>One component's linear programme, kept for every objective asked of it (GLOP starts from the last basis).</summary>
    private sealed class ComponentProgram : IDisposable
    {
        private readonly Solver _solver;
        private readonly int _component;
        private readonly List<int> _nodes;
        private readonly Dictionary<int, int> _position;
        private readonly Dictionary<int, Variable> _variables = [];
        private readonly List<(int Index, Google.OrTools.LinearSolver.Constraint Row)> _rows = [];

        public ComponentProgram(int component, List<int> nodes, List<Effective> constraints, Func<int, double> lower)
        {
            _solver = Solver.CreateSolver("GLOP") ?? throw new InvalidOperationException("OR-Tools' GLOP solver is not available.");
            _component = component;
            _nodes = nodes;
            _position = nodes.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i);
            foreach (var n in nodes) _variables[n] = _solver.MakeNumVar(lower(n), double.PositiveInfinity, "x" + n);
            foreach (var c in constraints)
            {
                var row = _solver.MakeConstraint(c.Equality ? -c.Constant : double.NegativeInfinity, -c.Constant, "c" + c.Original);
                foreach (var (node, coefficient) in c.Terms) row.SetCoefficient(_variables[node], coefficient);
                _rows.Add((c.Original, row));
            }
        }

        public double Optimise((int Node, int Coefficient)[] terms, bool maximise, IntervalAudit audit)
        {
            var objective = _solver.Objective();
            objective.Clear();
            foreach (var (node, coefficient) in terms) objective.SetCoefficient(_variables[node], coefficient);
            if (maximise) objective.SetMaximization(); else objective.SetMinimization();
            audit.LinearSolves++;
            var status = _solver.Solve();
            switch (status)
            {
                case Solver.ResultStatus.OPTIMAL:
                    // Only a solution in whole counts tells values the integer interval surely holds (Decided relies on it); any
                    // solution tells values the relaxation's interval holds, which is all a trial judged by it asks.
                    var values = _nodes.Select(n => _variables[n].SolutionValue()).ToList();
                    var integral = values.All(v => Math.Abs(v - Math.Round(v)) < Tolerance);
                    if (integral || audit._relaxationOnly) audit.Observe(_nodes, values);
                    audit.ObserveChanges(_component, _position, values);
                    if (integral) audit._lastIntegral = maximise ? (audit._lastIntegral.Low, true) : (true, audit._lastIntegral.High);
                    return objective.Value();
                case Solver.ResultStatus.UNBOUNDED:
                    return maximise ? double.PositiveInfinity : double.NegativeInfinity;
                case Solver.ResultStatus.INFEASIBLE:
                    // The releases contradict a relation (their data changed in a way the relations cannot see): the attacker learns
                    // nothing certain from it, and this component is audited as if it were unbounded.
                    audit._infeasible = true;
                    return maximise ? double.PositiveInfinity : double.NegativeInfinity;
                default:
                    throw new InvalidOperationException($"The disclosure audit's linear programme ended {status}.");
            }
        }

        public void Dispose() => _solver.Dispose();

        /// <summary>A count published by a trial: its value, fixed.</summary>
        public void Fix(int node, double value) => _variables[node].SetBounds(value, value);

        /// <summary>A trial's count that stays hidden: free again, from its smallest value.</summary>
        public void Free(int node, double lower) => _variables[node].SetBounds(lower, double.PositiveInfinity);

        public IEnumerable<int> BindingConstraints() => _rows.Where(r => Math.Abs(r.Row.DualValue()) > 1e-9).Select(r => r.Index);
    }
}
