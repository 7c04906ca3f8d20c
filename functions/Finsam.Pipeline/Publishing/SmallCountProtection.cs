
namespace Finsam.Pipeline.Publishing;

/// <summary>Why a published row has no value.</summary>
public static class Suppression
{
    /// <summary>A participant count from 1 to 4, or a figure computed from one (primary suppression).</summary>
    public const string SmallCount = "litet_antal";
    /// <summary>Could be derived by subtraction from published figures (secondary suppression).</summary>
    public const string Derivable = "harledbar";
}

/// <summary>
/// Small-count protection for member-facing KPI files, as official statistics do it.
/// <para>The participant counts a row reveals are "cells": a measure (the catalog's numerator or denominator
/// name, e.g. <c>avslutade</c>) at one level, period, gender and dimension. A cell from 1 to 4 is suppressed
/// (primary). Then, so that no suppressed cell can be got back by subtraction, every additive group —
/// T = K + M; a county = its federations; all = every federation; a year = its months; and the relations in
/// queries/small_count_relations.csv (e.g. avslutade = the three exit groups) — must have none or at least
/// two suppressed cells: where exactly one is, the smallest other part is suppressed too (secondary),
/// repeated until nothing changes. A row is suppressed when any cell it reveals is.</para>
/// </summary>
public sealed class SmallCountProtection
{
    public const int MinPublished = 5;

    private readonly Dictionary<string, KpiProtection> _catalog;
    private readonly IReadOnlyList<CountRelation> _relations;
    private readonly IReadOnlyList<ScopeMembership> _scopes;
    private readonly HashSet<string> _protectedMeasures;

    public SmallCountProtection(IEnumerable<KpiProtection> catalog, IReadOnlyList<CountRelation> relations, IReadOnlyList<ScopeMembership> scopes)
    {
        _catalog = catalog.ToDictionary(c => c.KpiId);
        _relations = relations;
        _scopes = scopes;
        _protectedMeasures = _catalog.Values.SelectMany(c => c.ProtectedCounts).ToHashSet(StringComparer.Ordinal);
    }

    private readonly record struct CellKey(string Measure, string Scope, string ScopeId, string Period, string Kon, string Dimension);

    private sealed class Cell(CellKey key, decimal value)
    {
        public CellKey Key { get; } = key;
        public decimal Value { get; } = value;
        public HashSet<string> FromKpis { get; } = [];
        public string? Suppression { get; set; }
    }

    /// <summary>Returns, per suppressed row id, why (<see cref="Suppression"/>). Rows not in the result are published as they are.</summary>
    public IReadOnlyDictionary<long, string> Apply(IReadOnlyList<KpiRow> rows)
    {
        var cells = CollectCells(rows);
        foreach (var cell in cells.Values)
            if (cell.Value is >= 1 and < MinPublished) cell.Suppression = Suppression.SmallCount;

        var groups = Groups(cells);
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var (total, parts) in groups)
            {
                var members = parts.Prepend(total);
                if (members.Count(c => c.Suppression is not null) != 1) continue;
                var complement = parts.Where(c => c.Suppression is null)
                    .OrderBy(c => c.Value > 0 ? 0 : 1).ThenBy(c => c.Value).ThenBy(c => c.Key.ToString(), StringComparer.Ordinal)
                    .FirstOrDefault() ?? (total.Suppression is null ? total : null);
                if (complement is null) continue;
                complement.Suppression = Suppression.Derivable;
                changed = true;
            }
        }

        var result = new Dictionary<long, string>();
        foreach (var row in rows)
        {
            if (!_catalog.TryGetValue(row.KpiId, out var protection)) continue;
            string? reason = null;
            foreach (var measure in protection.ProtectedCounts)
            {
                if (!cells.TryGetValue(Key(measure, row), out var cell) || cell.Suppression is null) continue;
                reason = cell.Suppression == Suppression.SmallCount || reason == Suppression.SmallCount ? Suppression.SmallCount : Suppression.Derivable;
            }
            if (reason is not null) result[row.RowId] = reason;
        }
        return result;
    }

    private static CellKey Key(string measure, KpiRow row) => new(measure, row.Scope, row.ScopeId, row.Period, row.Kon, row.Dimension);

    private Dictionary<CellKey, Cell> CollectCells(IReadOnlyList<KpiRow> rows)
    {
        var cells = new Dictionary<CellKey, Cell>();
        foreach (var row in rows)
        {
            if (!_catalog.TryGetValue(row.KpiId, out var protection)) continue;
            foreach (var (measure, value) in new[] { (protection.Numerator, row.Numerator), (protection.Denominator, row.Denominator) })
            {
                if (measure is null || value is not { } v || !_protectedMeasures.Contains(measure)) continue;
                var key = Key(measure, row);
                if (!cells.TryGetValue(key, out var cell)) cells[key] = cell = new Cell(key, v);
                cell.FromKpis.Add(row.KpiId);
            }
        }
        return cells;
    }

    /// <summary>Every additive group (total, parts) among the cells present.</summary>
    private List<(Cell Total, List<Cell> Parts)> Groups(Dictionary<CellKey, Cell> cells)
    {
        var groups = new List<(Cell, List<Cell>)>();
        void Add(Cell? total, IEnumerable<Cell?> parts)
        {
            var present = parts.OfType<Cell>().Where(p => !ReferenceEquals(p, total)).Distinct().ToList();
            if (total is not null && present.Count > 0) groups.Add((total, present));
        }
        Cell? Find(CellKey key) => cells.GetValueOrDefault(key);

        var monthsOfYear = cells.Values.Where(c => c.Key.Period.Length == 7)
            .ToLookup(c => c.Key with { Period = c.Key.Period[..4] });
        var dimensionsOfKpi = cells.Values.Where(c => c.Key.Dimension != "")
            .SelectMany(c => c.FromKpis.Select(kpi => (Kpi: kpi, Cell: c)))
            .ToLookup(x => (x.Kpi, x.Cell.Key.Scope, x.Cell.Key.ScopeId, x.Cell.Key.Period, x.Cell.Key.Kon), x => x.Cell);
        var federationsOf = _scopes.ToLookup(s => (s.Scope, s.ScopeId), s => s.FederationId);

        foreach (var cell in cells.Values)
        {
            var k = cell.Key;
            // Gender: T = K + M.
            if (k.Kon == "T") Add(cell, [Find(k with { Kon = "K" }), Find(k with { Kon = "M" })]);
            // Geography: a county, or all federations, = the sum of their federations.
            if (k.Scope != "forbund")
                Add(cell, federationsOf[(k.Scope, k.ScopeId)].Select(f => Find(k with { Scope = "forbund", ScopeId = f })));
            // A year = its months (monthly flows).
            if (k.Period.Length == 4) Add(cell, monthsOfYear[k]);
        }
        // Relations between measures at the same level, period, gender and dimension; a "kpi:x" part is every
        // cell that KPI x gave for the total's level, period and gender (its dimensions, e.g. age groups).
        foreach (var relation in _relations)
        foreach (var total in cells.Values.Where(c => c.Key.Measure == relation.Total && c.Key.Dimension == ""))
        {
            var k = total.Key;
            var parts = relation.Parts.SelectMany(part => part.StartsWith("kpi:", StringComparison.Ordinal)
                ? dimensionsOfKpi[(part[4..], k.Scope, k.ScopeId, k.Period, k.Kon)].Cast<Cell?>()
                : [Find(k with { Measure = part })]);
            Add(total, parts);
        }
        return groups;
    }
}
