-- Assertion: quality_scope.csv says what every error rule does to the KPIs, with a known action and
-- areas the catalog's KPIs depend on (returns the rules and rows that break this).
with catalog_areas as (
    select distinct unnest(string_split(depends_on, '|')) as area
    from ref_kpi_catalog
    where coalesce(depends_on, '') <> ''
),
scope_areas as (
    select rule_id, unnest(string_split(areas, '|')) as area from ref_quality_scope
)
select distinct rule_id, 'error rule without a row in quality_scope.csv' as problem
from quality
where severity = 'error' and rule_id not in (select rule_id from ref_quality_scope)
union all
select rule_id, 'action is neither withhold nor flag' from ref_quality_scope where action not in ('withhold', 'flag')
union all
select rule_id, 'area ' || area || ' is no KPI''s depends_on'
from scope_areas
where area not in (select area from catalog_areas)
