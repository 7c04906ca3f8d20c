
namespace Finsam.Pipeline.Disclosure;

/// <summary>
/// A KPI row as one release gives it: the counts it reveals are its numerator and denominator (named by the
/// catalog). <see cref="Suppressed"/> rows reveal nothing. For the version being made, the values are exact. For an
/// earlier release, <see cref="HiddenNumerator"/> and <see cref="HiddenDenominator"/> are what a suppressed row hid, where
/// the release's record keeps it (the publisher's knowledge, never a reader's).
/// </summary>
public sealed record ReleaseRow(long RowId, string KpiId, string Scope, string ScopeId, string Period, string ThroughPeriod,
    string Kon, string Dimension, decimal? Numerator, decimal? Denominator, bool Suppressed = false,
    decimal? HiddenNumerator = null, decimal? HiddenDenominator = null, bool Withheld = false);

/// <summary>One count of one release: a variable of the attacker's linear programme, or a constant when published.</summary>
internal sealed class Node(int index, int version, CellKey key, bool hidden, string through)
{
    public int Index { get; } = index;
    public int Version { get; } = version;
    public CellKey Key { get; } = key;
    /// <summary>Named only by a relation (repeat registrations, those with public support …): never published.</summary>
    public bool Hidden { get; } = hidden;
    /// <summary>The latest month the count covers.</summary>
    public string Through { get; } = through;
    /// <summary>What the publisher knows: the exact value (the version being made) or the published one (an earlier release); null when unknown.</summary>
    public decimal? Value { get; set; }
    /// <summary>Readers see <see cref="Value"/>.</summary>
    public bool Published { get; set; }
    /// <summary>An earlier release published this count for the same period unchanged: hiding it now hides nothing.</summary>
    public bool Frozen { get; set; }
    /// <summary>Why the count must be hidden, when it must: a count from 1 to 4, its change since an earlier release, or hidden there.</summary>
    public string? Reason { get; set; }
    /// <summary>
    /// Hidden only because its year is not complete (<see cref="ParticipantYears.CompleteYears"/>): in the version being made, by that
    /// rule; in an earlier release, as its record says, and a later release may then publish it for the same period, since that release
    /// hid every count of the year. Left out of the smallest interval a release reports (the audit's verdict checks it as any count).
    /// </summary>
    public bool Withheld { get; set; }

    public decimal? KnownValue => Published ? Value : null;
    public override string ToString() => Key.ToString();
}

/// <summary>A linear relation between counts: Σ coefficient × count (= or ≤) 0.</summary>
internal sealed record Constraint(string Relation, (int Node, int Coefficient)[] Terms, bool Equality)
{
    public string Describe(IReadOnlyList<Node> nodes, IReadOnlyList<string> versionLabels)
    {
        string Name(int i) => versionLabels.Count > 1 ? $"{nodes[i]} [{versionLabels[nodes[i].Version]}]" : nodes[i].ToString();
        var total = Terms.Where(t => t.Coefficient > 0).Select(t => Name(t.Node));
        var parts = Terms.Where(t => t.Coefficient < 0).Select(t => Name(t.Node));
        return $"{Relation}: {string.Join(" + ", total)} {(Equality ? "=" : "≤")} {string.Join(" + ", parts)}";
    }
}

/// <summary>The change of one count between an earlier release and the version being made: a count of its own.</summary>
internal sealed record Difference(int Earlier, int Candidate);

/// <summary>
/// The cells of one or more releases and every relation between them (queries/small_count_relations.csv): what an
/// attacker with the member files knows. The last version is the one being made (or audited); earlier releases are
/// constants where they published a count and variables where they hid it.
/// </summary>
internal sealed class CellGraph
{
    private readonly Dictionary<string, KpiProtection> _catalog;
    private readonly IReadOnlyList<DisclosureRelation> _relations;
    private readonly ILookup<(string Scope, string ScopeId), string> _federationsOf;
    /// <summary>The federations of a county, or of all federations, by its scope and id.</summary>
    public IEnumerable<string> FederationsOf(string scope, string scopeId) => _federationsOf[(scope, scopeId)];
    private readonly HashSet<string> _revealed;
    private readonly HashSet<string> _hiddenMeasures;
    private readonly List<Dictionary<CellKey, int>> _versions = [];
    private readonly List<Dictionary<(string Kpi, string Scope, string ScopeId, string Period, string Kon), List<int>>> _kpiDimensions = [];

    public CellGraph(IEnumerable<KpiProtection> catalog, IReadOnlyList<DisclosureRelation> relations, IEnumerable<ScopeMembership> scopes)
    {
        _catalog = catalog.ToDictionary(c => c.KpiId);
        _relations = relations;
        _federationsOf = scopes.ToLookup(s => (s.Scope, s.ScopeId), s => s.FederationId);
        _revealed = _catalog.Values.SelectMany(c => c.ProtectedCounts).ToHashSet(StringComparer.Ordinal);
        _hiddenMeasures = DisclosureRelation.MeasuresNamed(relations).Where(m => !_revealed.Contains(m)).ToHashSet(StringComparer.Ordinal);
    }

    public List<Node> Nodes { get; } = [];
    public List<Constraint> Constraints { get; } = [];
    public List<Difference> Differences { get; } = [];
    /// <summary>Relations that the exact (or published) values of a release contradict; left out (an attacker assuming them would be misled).</summary>
    public List<Constraint> Contradicted { get; } = [];
    public List<string> VersionLabels { get; } = [];
    public int CandidateVersion => _versions.Count - 1;
    /// <summary>Per row of the version being made, the counts it reveals (numerator, denominator and protected counts).</summary>
    public Dictionary<long, List<int>> RowCells { get; } = [];
    /// <summary>Per row of the version being made, the counts it shows (its numerator and denominator): published only through such rows.</summary>
    public Dictionary<long, List<int>> RowShows { get; } = [];

    public bool IsHiddenMeasure(string measure) => _hiddenMeasures.Contains(measure);

    public Node? Find(int version, CellKey key) => _versions[version].TryGetValue(key, out var i) ? Nodes[i] : null;

    /// <summary>
    /// Adds a release: its cells and the relations among them. A cell is published when a row that is not suppressed shows
    /// it. <paramref name="exact"/>: the rows hold exact values, also where suppressed (the version being made).
    /// </summary>
    public void AddVersion(string label, IEnumerable<ReleaseRow> rows, bool exact)
    {
        var version = _versions.Count;
        var cells = new Dictionary<CellKey, int>();
        var dimensions = new Dictionary<(string, string, string, string, string), List<int>>();
        _versions.Add(cells);
        _kpiDimensions.Add(dimensions);
        VersionLabels.Add(label);
        foreach (var row in rows)
        {
            if (!_catalog.TryGetValue(row.KpiId, out var protection)) continue;
            var revealed = new List<int>();
            void Reveal(string? measure, decimal? value, decimal? hidden, bool isNumerator)
            {
                if (measure is null || !_revealed.Contains(measure)) return;
                var key = new CellKey(measure, row.Scope, row.ScopeId, row.Period, row.Kon, row.Dimension);
                var published = !row.Suppressed && value is not null;
                if (!cells.TryGetValue(key, out var index))
                {
                    // A withheld value (an error makes it meaningless) is no count at all.
                    if (value is null && !row.Suppressed) return;
                    cells[key] = index = Nodes.Count;
                    Nodes.Add(new Node(index, version, key, false, row.ThroughPeriod));
                }
                var node = Nodes[index];
                if (value is not null && node.Value is null && (exact || published)) node.Value = value;
                // What an earlier release hid, from its record: known to the publisher, still unknown to readers.
                if (!exact && row.Suppressed && hidden is not null && node.Value is null) node.Value = hidden;
                if (!exact && row.Withheld) node.Withheld = true;
                if (published) node.Published = true;
                revealed.Add(index);
                if (isNumerator && row.Dimension != "")
                {
                    var group = (row.KpiId, row.Scope, row.ScopeId, row.Period, row.Kon);
                    if (!dimensions.TryGetValue(group, out var list)) dimensions[group] = list = [];
                    if (!list.Contains(index)) list.Add(index);
                }
            }
            Reveal(protection.Numerator, row.Numerator, row.HiddenNumerator, true);
            Reveal(protection.Denominator, row.Denominator, row.HiddenDenominator, false);
            if (exact)
            {
                // A row is also protected by counts it does not show (the median of the ended shows no count).
                foreach (var measure in protection.ProtectedCounts)
                    if (cells.TryGetValue(new CellKey(measure, row.Scope, row.ScopeId, row.Period, row.Kon, row.Dimension), out var i) && !revealed.Contains(i))
                        revealed.Add(i);
                RowShows[row.RowId] = [.. revealed];
                RowCells[row.RowId] = revealed;
            }
        }
        // Counts that a later row revealed as protected but no row carried (e.g. median_dagar before avslutade) were looked up too late: redo.
        if (exact)
            foreach (var row in rows)
                if (_catalog.TryGetValue(row.KpiId, out var protection) && RowCells.TryGetValue(row.RowId, out var list))
                    foreach (var measure in protection.ProtectedCounts)
                        if (cells.TryGetValue(new CellKey(measure, row.Scope, row.ScopeId, row.Period, row.Kon, row.Dimension), out var i) && !list.Contains(i))
                            list.Add(i);
        ExpandRelations(version, exact);
    }

    /// <summary>
    /// The count a hidden measure is defined over, for every dimension (<c>volym_insats</c>: <c>deltagare_insats[*]</c> =
    /// <c>deltagare_unika</c> + <c>volym_insats</c>); null for a measure that is not hidden or not so defined.
    /// </summary>
    private string? DefinedOver(string measure) =>
        !_hiddenMeasures.Contains(measure) ? null
        : _relations.Where(r => r.Over == RelationAxis.Measures)
            .Select(r => (Total: DisclosureRelation.Term.Parse(r.Total[0]), Parts: r.Parts.Select(DisclosureRelation.Term.Parse).ToList()))
            .Where(r => r.Total.AnyDimension && r.Parts.Any(p => p.Measure == measure))
            .Select(r => r.Total.Measure).FirstOrDefault();

    private int Hidden(int version, CellKey key, string through)
    {
        var cells = _versions[version];
        if (cells.TryGetValue(key, out var index)) return index;
        cells[key] = index = Nodes.Count;
        Nodes.Add(new Node(index, version, key, true, through));
        return index;
    }

    private void ExpandRelations(int version, bool exact)
    {
        var cells = _versions[version];
        var start = Constraints.Count;
        // Measures first: they make the hidden counts that the other axes then relate.
        foreach (var relation in _relations.Where(r => r.Over == RelationAxis.Measures))
        {
            var total = DisclosureRelation.Term.Parse(relation.Total[0]);
            var parts = relation.Parts.Select(DisclosureRelation.Term.Parse).ToList();
            // A part name[*] of a total without a dimension is the part at every dimension it has at the same key: a sum
            // over the dimensions (the volume of every intervention, the unique participants of every intervention).
            bool Spread(DisclosureRelation.Term p) => !total.AnyDimension && p.AnyDimension;
            var across = parts.Any(Spread)
                ? cells.Where(c => c.Key.Dimension != "").ToLookup(c => (c.Key.Measure, c.Key.Scope, c.Key.ScopeId, c.Key.Period, c.Key.Kon), c => c.Value)
                : null;
            // For each spread part that is a hidden count, the count it is defined over (once per relation, not per cell).
            var definedOver = parts.Where(Spread).Select(p => p.Measure).Distinct().ToDictionary(m => m, DefinedOver);
            foreach (var index in cells.Values.ToList())
            {
                var node = Nodes[index];
                var k = node.Key;
                if (node.Hidden || k.Measure != total.Measure || (total.AnyDimension ? k.Dimension == "" : k.Dimension != "")) continue;
                var terms = new List<(int, int)> { (index, 1) };
                var complete = true;
                // A hidden count is defined by the counts beside it: without them (a KPI the catalog does not give here), no relation.
                if (parts.All(p => p.Kpi is null && (Spread(p)
                        ? !across![(p.Measure, k.Scope, k.ScopeId, k.Period, k.Kon)].Any()
                        : _hiddenMeasures.Contains(p.Measure) || !cells.ContainsKey(k with { Measure = p.Measure, Dimension = p.Dimension ?? k.Dimension }))))
                    continue;
                foreach (var part in parts)
                {
                    if (Spread(part))
                    {
                        var every = across![(part.Measure, k.Scope, k.ScopeId, k.Period, k.Kon)].ToList();
                        if (every.Count == 0) complete = false;
                        // A hidden count exists only where the relation that defines it is complete (an intervention's volume
                        // only where its cost row gives its unique participants): the sum over its dimensions may then miss some.
                        // With exact values a false equation is found and left out (Validate); in an earlier release, whose
                        // hidden values are not known, it would make the audit's programme infeasible, so there the sum is
                        // declared only when the hidden count exists at every dimension of the count it is defined over.
                        else if (!exact && definedOver[part.Measure] is { } over && across[(over, k.Scope, k.ScopeId, k.Period, k.Kon)].Count() > every.Count)
                            complete = false;
                        terms.AddRange(every.Select(i => (i, -1)));
                        continue;
                    }
                    if (part.Kpi is not null)
                    {
                        if (_kpiDimensions[version].TryGetValue((part.Kpi, k.Scope, k.ScopeId, k.Period, k.Kon), out var dims))
                            terms.AddRange(dims.Select(d => (d, -1)));
                        continue;
                    }
                    var key = k with { Measure = part.Measure, Dimension = part.Dimension ?? k.Dimension };
                    if (_hiddenMeasures.Contains(part.Measure)) terms.Add((Hidden(version, key, node.Through), -1));
                    else if (cells.TryGetValue(key, out var p)) terms.Add((p, -1));
                    else complete = false;
                }
                if (complete && terms.Count > 1) Constraints.Add(new Constraint(relation.Name, terms.ToArray(), relation.Kind == RelationKind.Equal));
            }
        }
        if (exact)
        {
            ComputeHiddenValues(start);
            // A hidden count that is 0 (no registration without support given, no repeat registration) is what a reader
            // would guess, and would guess right: it is treated as published, as a zero count is.
            foreach (var node in cells.Values.Select(i => Nodes[i]).Where(n => n.Hidden && n.Value == 0)) node.Published = true;
        }

        var byKey = cells.Values.Select(i => Nodes[i]).ToList();
        foreach (var relation in _relations)
        {
            var equality = relation.Kind == RelationKind.Equal;
            switch (relation.Over)
            {
                case RelationAxis.Gender:
                    foreach (var node in byKey.Where(n => n.Key.Kon == "T" && relation.Covers(n.Key.Measure)))
                        if (cells.TryGetValue(node.Key with { Kon = "K" }, out var w) && cells.TryGetValue(node.Key with { Kon = "M" }, out var m))
                            Constraints.Add(new Constraint(relation.Name, [(node.Index, 1), (w, -1), (m, -1)], equality));
                    break;
                case RelationAxis.Geography:
                    foreach (var node in byKey.Where(n => n.Key.Scope != "forbund" && relation.Covers(n.Key.Measure)))
                    {
                        var parts = _federationsOf[(node.Key.Scope, node.Key.ScopeId)]
                            .Select(f => cells.TryGetValue(node.Key with { Scope = "forbund", ScopeId = f }, out var p) ? p : -1)
                            .Where(p => p >= 0).Select(p => (p, -1)).ToList();
                        if (parts.Count > 0) Constraints.Add(new Constraint(relation.Name, [(node.Index, 1), .. parts], equality));
                    }
                    break;
                case RelationAxis.Months:
                    foreach (var node in byKey.Where(n => n.Key.Period.Length == 4 && relation.Covers(n.Key.Measure)))
                    {
                        var months = Enumerable.Range(1, 12).Select(m => $"{node.Key.Period}-{m:D2}")
                            .Where(p => string.CompareOrdinal(p, node.Through) <= 0)
                            .Select(p => cells.TryGetValue(node.Key with { Period = p }, out var i) ? i : -1).Where(i => i >= 0).Select(i => (i, -1)).ToList();
                        if (months.Count > 0) Constraints.Add(new Constraint(relation.Name, [(node.Index, 1), .. months], equality));
                    }
                    break;
                case RelationAxis.YearEnd:
                    foreach (var node in byKey.Where(n => n.Key.Period.Length == 4 && n.Key.Measure == relation.Total[0]))
                    {
                        var previous = (int.Parse(node.Key.Period, System.Globalization.CultureInfo.InvariantCulture) - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                        if (cells.TryGetValue(node.Key with { Measure = relation.Parts[0], Period = previous }, out var end) && Nodes[end].Through == previous + "-12")
                            Constraints.Add(new Constraint(relation.Name, [(node.Index, 1), (end, -1)], equality));
                    }
                    break;
            }
        }
        Validate(start);
    }

    /// <summary>The exact value of each hidden count, from the relation that names it (total − the other parts).</summary>
    private void ComputeHiddenValues(int start)
    {
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var c in Constraints.Skip(start).Where(c => c.Equality))
            {
                var unknown = c.Terms.Where(t => Nodes[t.Node].Value is null).ToList();
                if (unknown.Count != 1 || !Nodes[unknown[0].Node].Hidden) continue;
                var rest = c.Terms.Where(t => t.Node != unknown[0].Node).Sum(t => t.Coefficient * Nodes[t.Node].Value!.Value);
                Nodes[unknown[0].Node].Value = -rest / unknown[0].Coefficient;
                changed = true;
            }
        }
    }

    /// <summary>
    /// Leaves out the relations that the values of a release contradict: exact values, or those published and those its
    /// record says it hid (an earlier release: only values the publisher knows are set).
    /// </summary>
    private void Validate(int start)
    {
        var kept = new List<Constraint>();
        foreach (var c in Constraints.Skip(start))
        {
            var values = c.Terms.Select(t => Nodes[t.Node].Value).ToList();
            if (values.Any(v => v is null)) { kept.Add(c); continue; }
            var sum = c.Terms.Zip(values).Sum(x => x.First.Coefficient * x.Second!.Value);
            if (c.Equality ? sum == 0 : sum <= 0) kept.Add(c);
            else Contradicted.Add(c);
        }
        Constraints.RemoveRange(start, Constraints.Count - start);
        Constraints.AddRange(kept);
    }

    /// <summary>
    /// Relates an earlier release to a later one. A level and period whose latest month is the same in both and whose
    /// counts the earlier release published are all unchanged is the same data: its counts are the same variables
    /// (<c>samma_period</c>), except a count the earlier release withheld only because its year was not complete and whose value
    /// has changed since. Otherwise every count in both changed by a count of its own (<c>andring</c>), and a
    /// federation's year to date grew by the flows of the months between (<c>ackumulerat</c>) when the earlier months did not change.
    /// </summary>
    public void Link(int earlier, int later, bool identities, bool differences)
    {
        var a = _versions[earlier];
        var b = _versions[later];
        var same = _relations.FirstOrDefault(r => r.Over == RelationAxis.Versions && r.Kind == RelationKind.Equal && r.Total.Contains("*"));
        var change = _relations.FirstOrDefault(r => r.Over == RelationAxis.Versions && r.Kind == RelationKind.Change);
        var accumulated = _relations.FirstOrDefault(r => r.Over == RelationAxis.Versions && r.Kind == RelationKind.Equal && !r.Total.Contains("*"));
        var unchanged = UnchangedSlices(a, b);
        foreach (var (key, ia) in a)
        {
            if (!b.TryGetValue(key, out var ib)) continue;
            var (na, nb) = (Nodes[ia], Nodes[ib]);
            // The rule is public: a reader takes the counts of such a period for the same counts, also where the record says
            // one of them changed (hidden then and hidden now, the reader cannot tell), so the audit does too. Except a count
            // withheld then only for its year, whose value (the record's, and the exact one now) has changed since: a county's,
            // when its last federation delivered December, or a corrected month. It is a new count, and its change since that
            // release is audited as any change is (a reader who takes the two for one is wrong by that change, and can learn no
            // more than it); hiding it for good as hidden then would keep a county's year hidden once its year is complete.
            var renewed = na.Withheld && na.Value is { } withheld && nb.Value is { } current && withheld != current;
            if (unchanged.Contains((key.Scope, key.ScopeId, key.Period)) && !renewed)
            {
                if (same is null || !identities) continue;
                if (!na.Published || !nb.Published) Constraints.Add(new Constraint(same.Name, [(ib, 1), (ia, -1)], true));
                if (later == CandidateVersion && !nb.Hidden)
                {
                    if (na.Published) nb.Frozen = true;
                    // Withheld then only because its year was not complete (every count of the year was), and unchanged: a first
                    // release of the year may publish it.
                    else if (!na.Withheld) nb.Reason ??= "hidden in " + VersionLabels[earlier];
                }
            }
            else if (differences && change is not null && later == CandidateVersion)
            {
                Differences.Add(new Difference(ia, ib));
                // A published count whose change since an earlier release is from 1 to 4 must be hidden now.
                if (na.Published && nb.Value is { } now && Math.Abs(now - na.Value!.Value) is >= 1 and < SmallCountProtection.MinPublished && !nb.Hidden)
                    nb.Reason ??= "change since " + VersionLabels[earlier];
            }
        }
        if (accumulated is null || !identities) return;
        foreach (var (key, ib) in b)
        {
            if (key.Period.Length != 4 || key.Scope != "forbund" || !accumulated.Covers(key.Measure) || !a.TryGetValue(key, out var ia)) continue;
            var (throughA, throughB) = (Nodes[ia].Through, Nodes[ib].Through);
            if (string.CompareOrdinal(throughA, throughB) >= 0) continue;
            var months = Enumerable.Range(1, 12).Select(m => $"{key.Period}-{m:D2}").ToList();
            var earlierMonths = months.Where(p => string.CompareOrdinal(p, throughA) <= 0).ToList();
            if (!earlierMonths.All(p => unchanged.Contains((key.Scope, key.ScopeId, p)))) continue;
            var between = months.Where(p => string.CompareOrdinal(p, throughA) > 0 && string.CompareOrdinal(p, throughB) <= 0)
                .Select(p => b.TryGetValue(key with { Period = p }, out var i) ? i : -1).ToList();
            if (between.Count == 0 || between.Contains(-1)) continue;
            Constraints.Add(new Constraint(accumulated.Name, [(ib, 1), (ia, -1), .. between.Select(i => (i, -1))], true));
        }
    }

    /// <summary>Levels and periods (scope, scope id, period) with the same latest month and the same published counts in both releases.</summary>
    private HashSet<(string, string, string)> UnchangedSlices(Dictionary<CellKey, int> a, Dictionary<CellKey, int> b)
    {
        var changed = new HashSet<(string, string, string)>();
        var seen = new HashSet<(string, string, string)>();
        foreach (var (key, ia) in a)
        {
            var slice = (key.Scope, key.ScopeId, key.Period);
            seen.Add(slice);
            var na = Nodes[ia];
            if (na.Hidden) continue;
            if (!b.TryGetValue(key, out var ib)) { changed.Add(slice); continue; }
            var nb = Nodes[ib];
            if (na.Through != nb.Through) changed.Add(slice);
            else if (na.Published && nb.Value is { } vb && vb != na.Value) changed.Add(slice);
        }
        foreach (var (key, ib) in b)
            if (!Nodes[ib].Hidden && !a.ContainsKey(key)) changed.Add((key.Scope, key.ScopeId, key.Period));
        seen.ExceptWith(changed);
        return seen;
    }
}
