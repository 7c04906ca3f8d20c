-- Mart: what the data-quality errors do to each federation-year, per area of data a KPI can depend on
-- (the catalog's depends_on: ekonomi, eget_kapital, deltagare, volym). quality_scope.csv says for each
-- error rule which areas it affects, and whether their values are withheld (they cannot be computed
-- meaningfully) or kept and flagged 'brist'; findings are the ids of the errors that affect the area.
-- Grain: one row per federation, year and area (federation_id, year, area).
with areas as (
    select distinct unnest(string_split(depends_on, '|')) as area
    from ref_kpi_catalog
    where coalesce(depends_on, '') <> ''
),
finding_areas as (
    select q.federation_id, q.year, q.finding_id, s.action, unnest(string_split(s.areas, '|')) as area
    from quality as q
    join ref_quality_scope as s on s.rule_id = q.rule_id
    where q.severity = 'error'
)
select
    y.federation_id,
    y.year,
    y.through_period,
    a.area,
    coalesce(bool_or(fa.action = 'withhold'), false) as withheld,
    coalesce(
        list_sort(list(distinct fa.finding_id) filter (where fa.finding_id is not null)),
        cast([] as varchar[])
    ) as findings
from int_federation_years as y
cross join areas as a
left join finding_areas as fa on fa.federation_id = y.federation_id and fa.year = y.year and fa.area = a.area
group by y.federation_id, y.year, y.through_period, a.area
