using Finsam.Pipeline.Models;

namespace Finsam.Pipeline.Publishing;

/// <summary>
/// Member-facing tables in the build's DuckDB session: kpi_published (small-count protection applied) and
/// quality_published (registration counts from 1 to 4 suppressed). The exact tables stay for the controller.
/// </summary>
public static class PublishedTables
{
    public const string RelationsFile = "small_count_relations.csv";

    /// <summary>Quality rules whose affected_rows count registrations (participants), not ledger rows.</summary>
    public static readonly string[] ParticipantQualityRules =
        ["overlapping_registrations", "person_inconsistent", "registration_missing_from_export", "age_outside_target_group", "missing_participant_month"];

    public static void Create(DuckDbSession session, string queriesFolder)
    {
        session.Execute("""
            create or replace table kpi_numbered as
            select row_number() over (order by kpi_id, scope, scope_id, period, kon, dimension) as row_id, *
            from kpi
            """);
        var rows = session.Query("""
            select row_id, kpi_id, scope, scope_id, period, period_type, through_period, kon, dimension, value, unit, numerator, denominator, flag
            from kpi_numbered order by row_id
            """).Rows.Select(r => new KpiRow((long)r[0]!, (string)r[1]!, (string)r[2]!, (string)r[3]!, (string)r[4]!, (string)r[5]!, (string)r[6]!,
                (string)r[7]!, (string)r[8]!, (decimal?)r[9], (string?)r[10], (decimal?)r[11], (decimal?)r[12], (string?)r[13] ?? "")).ToList();
        var protection = new SmallCountProtection(ReadProtections(session), ReadRelations(session, queriesFolder), ReadScopes(session));
        var suppressed = protection.Apply(rows);

        session.Execute("create or replace table kpi_suppression (row_id bigint, suppression varchar)");
        session.Append("kpi_suppression", suppressed.OrderBy(s => s.Key).Select(s => (s.Key, s.Value)));
        session.Execute("""
            create or replace table kpi_published as
            select
                k.row_id, k.kpi_id, k.scope, k.scope_id, k.period, k.period_type, k.through_period, k.kon, k.dimension,
                case when s.row_id is null then k.value end as value,
                k.unit,
                case when s.row_id is null then k.numerator end as numerator,
                case when s.row_id is null then k.denominator end as denominator,
                k.flag,
                k.status,
                k.findings,
                k.federations,
                s.row_id is not null as suppressed,
                coalesce(s.suppression, '') as suppression
            from kpi_numbered as k
            left join kpi_suppression as s on s.row_id = k.row_id
            """);
        var rules = string.Join(", ", ParticipantQualityRules.Select(r => $"'{r}'"));
        session.Execute($"""
            create or replace table quality_published as
            select
                finding_id, federation_id, year, period, rule_id, severity, detail,
                case when rule_id in ({rules}) and affected_rows between 1 and {SmallCountProtection.MinPublished - 1} then null else affected_rows end as affected_rows,
                coalesce(rule_id in ({rules}) and affected_rows between 1 and {SmallCountProtection.MinPublished - 1}, false) as suppressed
            from quality
            """);
    }

    private static IEnumerable<KpiProtection> ReadProtections(DuckDbSession session) =>
        session.Query("select kpi_id, numerator, denominator, protected_counts from kpi_catalog").Rows.Select(r => new KpiProtection(
            (string)r[0]!, Blank((string?)r[1]), Blank((string?)r[2]),
            ((string?)r[3] ?? "").Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));

    private static List<CountRelation> ReadRelations(DuckDbSession session, string queriesFolder)
    {
        var path = Path.Combine(queriesFolder, RelationsFile);
        if (!File.Exists(path)) throw new PublishingException($"The small-count relations file is missing: {path}.");
        return session.Query($"select relation, total, parts from read_csv('{DuckDbSession.Quote(path)}', delim = ';', header = true, all_varchar = true)")
            .Rows.Select(r => new CountRelation((string)r[0]!, (string)r[1]!, ((string)r[2]!).Split('|', StringSplitOptions.TrimEntries))).ToList();
    }

    private static List<ScopeMembership> ReadScopes(DuckDbSession session) =>
        session.Query("select federation_id, scope, scope_id from int_scopes where scope <> 'forbund'").Rows
            .Select(r => new ScopeMembership((string)r[0]!, (string)r[1]!, (string)r[2]!)).ToList();

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
