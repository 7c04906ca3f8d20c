
namespace Finsam.Pipeline.Disclosure;

/// <summary>One row of the long KPI table (queries/kpi/kpi.sql), numbered in its published order.</summary>
public sealed record KpiRow(
    long RowId, string KpiId, string Scope, string ScopeId, string Period, string PeriodType, string ThroughPeriod,
    string Kon, string Dimension, decimal? Value, string? Unit, decimal? Numerator, decimal? Denominator, string Flag);

/// <summary>What the catalog says about a KPI that small-count protection needs.</summary>
public sealed record KpiProtection(string KpiId, string? Numerator, string? Denominator, IReadOnlyList<string> ProtectedCounts);

/// <summary>A federation's membership of a level: (federation, "lan", county code) or (federation, "alla", "alla").</summary>
public sealed record ScopeMembership(string FederationId, string Scope, string ScopeId);
