-- Mart: the status of the KPI values of each level and year, per combination of areas a KPI depends on
-- (the catalog's depends_on), as Kolada gives it:
--   'brist'       an error affects one of its areas in a federation the value covers or leaves out
--                 (findings: the finding ids, '|'-separated);
--   'preliminar'  otherwise, when the year is not complete: a federation the value covers has data only
--                 through a month before December;
--   ''            final.
-- withheld: a federation's value an error makes meaningless; a county's or all federations' value when
-- every member is withheld, or, for a KPI depending on several areas, when any member is withheld in
-- one (its parts could not all be taken from the same federations). federations: how many federations
-- the value covers. Grain: one row per scope, scope_id, year and depends_on (scope, scope_id, year, depends_on).
with combinations as (
    select distinct depends_on from ref_kpi_catalog where coalesce(depends_on, '') <> ''
),
member_areas as (
    select m.scope, m.scope_id, m.federation_id, m.year, m.through_period, c.depends_on, d.withheld, d.findings
    from combinations as c
    join dim_federation_year_areas as d on list_contains(string_split(c.depends_on, '|'), d.area)
    join dim_scope_members as m on m.federation_id = d.federation_id and m.year = d.year and m.area = d.area
),
members as (
    select
        scope, scope_id, year, depends_on, federation_id,
        max(through_period) as through_period,
        bool_or(withheld) as withheld,
        flatten(list(findings)) as findings
    from member_areas
    group by scope, scope_id, year, depends_on, federation_id
)
select
    scope,
    scope_id,
    year,
    depends_on,
    case when scope = 'forbund' or depends_on like '%|%' then bool_or(withheld) else bool_and(withheld) end as withheld,
    count(*) filter (where not withheld) as federations,
    array_to_string(list_sort(list_distinct(flatten(list(findings)))), '|') as findings,
    min(through_period) filter (where not withheld) as first_through_period
from members
group by scope, scope_id, year, depends_on
