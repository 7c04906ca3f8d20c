using Finsam.Pipeline.Models;

namespace Finsam.Pipeline.Disclosure;

/// <summary>
/// Member-facing tables in the build's DuckDB session: kpi_published (small-count protection applied: a suppressed row
/// has value, numerator and denominator empty and <c>suppressed</c> true, never a reason) and quality_published
/// (participant counts from 1 to 4 suppressed, in their columns and in the text). kpi_suppression keeps why each row
/// is suppressed, for the controller. The exact tables stay for the controller.
/// </summary>
public static class PublishedTables
{
    public const string RelationsFile = "small_count_relations.csv";

    /// <summary>Quality rules whose counts (affected_rows, persons) count registrations or persons, not ledger rows.</summary>
    public static readonly string[] ParticipantQualityRules =
        ["overlapping_registrations", "person_inconsistent", "registration_missing_from_export", "age_outside_target_group", "missing_participant_month"];

    /// <summary>
    /// Makes the member tables and audits them. <paramref name="earlierReleaseKpiParquets"/> are the member kpi.parquet
    /// files of every earlier release readers still have (local paths, oldest first): what they published is known, so
    /// this version is protected and audited together with them. Returns the audit of kpi_published (the caller refuses
    /// to publish when it did not pass).
    /// </summary>
    /// <param name="years">Which years' participant counts the release publishes (<see cref="ParticipantYears"/>).</param>
    /// <param name="progress">What the protection and the audit are doing, for the person waiting on them.</param>
    public static DisclosureAuditResult Create(DuckDbSession session, string queriesFolder, IReadOnlyList<string>? earlierReleaseKpiParquets = null,
        ParticipantYears years = ParticipantYears.YearToDate, IProgress<string>? progress = null)
    {
        var earlierFiles = earlierReleaseKpiParquets ?? [];
        // One release: its protection and the audit of its member table share the integer optima they both meet.
        using var remembered = IntegerProgram.Remember();
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
        var relations = DisclosureRelation.Read(Path.Combine(queriesFolder, RelationsFile));
        var protection = new SmallCountProtection(DisclosureAudit.ReadCatalog(session), relations, DisclosureAudit.ReadScopes(session));
        var earlier = DisclosureAudit.ReadEarlier(session, earlierFiles);
        // The smallest interval is reported by the audit of the member table below.
        var result = protection.Apply(rows, earlier, withWidth: false, years, progress);

        session.Execute("create or replace table kpi_suppression (row_id bigint, suppression varchar)");
        session.Append("kpi_suppression", result.Suppressed.OrderBy(s => s.Key).Select(s => (s.Key, s.Value)));
        session.Execute("""
            create or replace table kpi_published as
            select
                k.row_id, k.kpi_id, k.scope, k.scope_id, k.scope_namn, k.period, k.period_type, k.through_period, k.kon, k.dimension,
                case when s.row_id is null then k.value end as value,
                k.unit,
                case when s.row_id is null then k.numerator end as numerator,
                case when s.row_id is null then k.denominator end as denominator,
                k.flag,
                k.status,
                k.findings,
                k.federations,
                s.row_id is not null as suppressed
            from kpi_numbered as k
            left join kpi_suppression as s on s.row_id = k.row_id
            """);
        CreateQuality(session);
        // The verdict that counts is the audit of what members get, read back from the member table.
        if (result.Audit.Passed) progress?.Report($"auditing the member table as members will read it, with {earlierFiles.Count} earlier release(s)");
        return result.Audit.Passed
            ? DisclosureAudit.Run(session, "kpi_published", earlierFiles, queriesFolder, exactKpiTable: "kpi_numbered", years, progress) with { TotalsHidden = result.Audit.TotalsHidden, ComplementRowsNotTried = result.Audit.ComplementRowsNotTried }
            : result.Audit;
    }

    /// <summary>
    /// The participant counts the member rows reveal, each once (a measure at a level, period, gender and dimension): its exact
    /// value and whether every row that shows it is suppressed. Over kpi_numbered, kpi_catalog and kpi_published: what a
    /// release hides, for the controller and the benchmarks.
    /// </summary>
    public const string CellsSelect = """
        with revealed as (
            select distinct unnest(string_split(protected_counts, '|')) as measure from kpi_catalog where protected_counts <> ''
        ),
        row_cells as (
            select c.numerator as measure, k.scope, k.scope_id, k.period, k.period_type, k.kon, k.dimension, k.numerator as value, p.suppressed
            from kpi_numbered as k join kpi_catalog as c using (kpi_id) join kpi_published as p using (row_id)
            where c.numerator in (select measure from revealed)
            union all
            select c.denominator, k.scope, k.scope_id, k.period, k.period_type, k.kon, k.dimension, k.denominator, p.suppressed
            from kpi_numbered as k join kpi_catalog as c using (kpi_id) join kpi_published as p using (row_id)
            where c.denominator in (select measure from revealed)
        )
        select measure, scope, scope_id, period, period_type, kon, dimension, max(value) as value, bool_and(suppressed) as hidden
        from row_cells where value is not null group by all
        """;

    /// <summary>
    /// Why each suppressed row of a member release is suppressed (<c>litet_antal</c>, <c>harledbar</c> …), by the row's key,
    /// with the counts it hides (its exact numerator and denominator): kept with the release's record for the controller
    /// (members see only that a row is suppressed). The audit of a later release reads the counts: a count it hid that was
    /// 0 or 5 and more may be pinned by later releases without harm.
    /// </summary>
    public const string SuppressionReasonsSelect = """
        select k.kpi_id, k.scope, k.scope_id, k.period, k.period_type, k.kon, k.dimension, s.suppression, k.numerator, k.denominator
        from kpi_numbered as k
        join kpi_suppression as s on s.row_id = k.row_id
        order by k.kpi_id, k.scope, k.scope_id, k.period, k.kon, k.dimension
        """;

    /// <summary>
    /// quality_published: a participant count from 1 to 4 (affected registrations, persons) is emptied and <c>suppressed</c>
    /// is true; the text is written from the template with '..' for it (and for the list of registrations, as long as the count).
    /// </summary>
    private static void CreateQuality(DuckDbSession session)
    {
        var rules = string.Join(", ", ParticipantQualityRules.Select(r => $"'{r}'"));
        var small = $"between 1 and {SmallCountProtection.MinPublished - 1}";
        session.Execute($$"""
            create or replace table quality_published as
            with age_groups as (
                -- The age group of deltagare_aldersgrupp that an age finding counts the registrations of, as members see it.
                select scope_id as federation_id, period, dimension as age_group, value
                from kpi_published
                where kpi_id = 'deltagare_aldersgrupp' and scope = 'forbund' and period_type = 'ar' and kon = 'T'
            ),
            protected as (
                select q.*,
                    coalesce(rule_id in ({{rules}}) and affected_rows {{small}}, false)
                        -- An age finding's count is the age group's (plus its repeat registrations): shown only where the age
                        -- group is published and the difference is no count from 1 to 4, or it would give a suppressed group.
                        or (rule_id = 'age_outside_target_group' and coalesce(abs(affected_rows - a.value) not between 1 and {{SmallCountProtection.MinPublished - 1}}, false) = false)
                        as rows_suppressed,
                    coalesce(rule_id in ({{rules}}) and persons {{small}}, false) as persons_suppressed
                from quality as q
                left join age_groups as a
                    on q.rule_id = 'age_outside_target_group' and a.federation_id = q.federation_id
                    and a.period = cast(q.year as varchar) and a.age_group = split_part(q.finding_id, ':', 4)
            )
            select
                finding_id, federation_id, year, period, rule_id, severity,
                case when detail_template is null then detail else
                    replace(replace(replace(detail_template,
                        '{antal}', case when rows_suppressed then '..' else coalesce(cast(affected_rows as varchar), '') end),
                        '{personer}', case when persons_suppressed then '..' else coalesce(cast(persons as varchar), '') end),
                        '{id}', case when rows_suppressed then '..' else coalesce(ids, '') end)
                end as detail,
                case when rows_suppressed then null else affected_rows end as affected_rows,
                rows_suppressed or persons_suppressed as suppressed
            from protected
            """);
    }
}
