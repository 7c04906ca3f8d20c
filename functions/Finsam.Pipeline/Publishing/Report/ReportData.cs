using Finsam.Pipeline.Models;
using Finsam.Pipeline.Versions;

namespace Finsam.Pipeline.Publishing.Report;

/// <summary>
/// A published KPI value with its catalog title; Value is null when suppressed, withheld or missing. Suppression is ".."
/// when the value is suppressed (members never learn why), otherwise empty. Status is '',
/// 'preliminar' or 'brist' (Findings: the ids of the data-quality findings, '|'-separated); Federations is how many
/// federations the value covers. Withheld: a data-quality error withholds the value (no value, numerator or denominator), as
/// opposed to a value that does not exist (a share of no ended participants), which keeps its numerator and denominator.
/// </summary>
public sealed record ReportKpi(string KpiId, string Title, string Scope, string ScopeId, string Period, string ThroughPeriod,
    string Kon, string Dimension, decimal? Value, string Unit, string Flag, string Suppression, string Status = "", string Findings = "", int Federations = 1, bool Withheld = false);

/// <summary>A federation by its name, with its county's id (Kolada's region id for one of Sweden's counties) and name.</summary>
public sealed record ReportFederation(string Id, string Name, string County, string CountyName);

public sealed record ReportFinding(string FederationId, int? Year, string? Period, string Severity, string RuleId, string Detail, long? AffectedRows, string FindingId = "");

/// <summary>Everything the HTML report shows, read from the member-facing (protected) tables only.</summary>
public sealed record ReportData(
    IReadOnlyList<ReportFederation> Federations,
    IReadOnlyList<ReportKpi> Kpis,
    IReadOnlyDictionary<string, string> Titles,
    IReadOnlyList<ReportFinding> Findings,
    IReadOnlyList<ManifestInput> Inputs)
{
    /// <summary>The release publishes a year's participant counts only once the year is complete (<see cref="Disclosure.ParticipantYears.CompleteYears"/>).</summary>
    public bool CompleteYearsOnly { get; init; }

    private Dictionary<(string, string, string, string, string, string), ReportKpi>? _index;
    private ILookup<(string Scope, string ScopeId, string Period), ReportKpi>? _byLevel;

    /// <summary>One KPI value by its key, or null.</summary>
    public ReportKpi? Find(string kpi, string scope, string scopeId, string period, string kon, string dimension)
    {
        _index ??= Kpis.GroupBy(k => (k.KpiId, k.Scope, k.ScopeId, k.Period, k.Kon, k.Dimension)).ToDictionary(g => g.Key, g => g.First());
        return _index.GetValueOrDefault((kpi, scope, scopeId, period, kon, dimension));
    }

    /// <summary>Every KPI of one level and period, in table order.</summary>
    public IEnumerable<ReportKpi> At(string scope, string scopeId, string period)
    {
        _byLevel ??= Kpis.ToLookup(k => (k.Scope, k.ScopeId, k.Period));
        return _byLevel[(scope, scopeId, period)];
    }

    public static ReportData Read(DuckDbSession session, IReadOnlyList<ManifestInput> inputs)
    {
        var federations = session.Query("""
            select f.federation_id, f.federation_namn, coalesce(c.scope_id, ''), coalesce(c.scope_namn, '')
            from places as f
            left join places as c on c.federation_id = f.federation_id and c.scope = 'lan'
            where f.scope = 'forbund'
            order by f.federation_id
            """).Rows.Select(r => new ReportFederation((string)r[0]!, (string)r[1]!, (string)r[2]!, (string)r[3]!)).ToList();
        var kpis = session.Query("""
            select k.kpi_id, coalesce(c.titel_sv, k.kpi_id), k.scope, k.scope_id, k.period, k.through_period, k.kon, k.dimension, k.value,
                coalesce(k.unit, ''), coalesce(k.flag, ''), case when k.suppressed then '..' else '' end, k.status, k.findings, k.federations,
                k.status = 'brist' and not k.suppressed and k.value is null and k.numerator is null and k.denominator is null
            from kpi_published as k
            left join kpi_catalog as c on c.kpi_id = k.kpi_id
            where k.period_type = 'ar'
            order by k.row_id
            """).Rows.Select(r => new ReportKpi((string)r[0]!, (string)r[1]!, (string)r[2]!, (string)r[3]!, (string)r[4]!, (string)r[5]!,
                (string)r[6]!, (string)r[7]!, (decimal?)r[8], (string)r[9]!, (string)r[10]!, (string)r[11]!, (string)r[12]!, (string)r[13]!, Convert.ToInt32(r[14]), (bool)r[15]!)).ToList();
        var titles = session.Query("select kpi_id, titel_sv from kpi_catalog").Rows.ToDictionary(r => (string)r[0]!, r => (string?)r[1] ?? (string)r[0]!);
        var findings = session.Query("select federation_id, year, period, severity, rule_id, detail, affected_rows, finding_id from quality_published order by severity, federation_id, year, period, rule_id, finding_id").Rows
            .Select(r => new ReportFinding((string?)r[0] ?? "", r[1] is null ? null : Convert.ToInt32(r[1]), (string?)r[2], (string)r[3]!, (string)r[4]!, (string?)r[5] ?? "",
                r[6] is null ? null : Convert.ToInt64(r[6]), (string)r[7]!)).ToList();
        return new ReportData(federations, kpis, titles, findings, inputs);
    }
}
