-- Findings: every data-quality finding, the union of the quality/ rules (quality_rules, which the runner makes: one
-- select of each rule, union all by name), with its stable id finding_id = rule_id:federation_id:year[:finding_key]. A
-- rule whose text carries participant counts gives it as detail_template ({antal} = affected_rows,
-- {personer} = persons, {id} = ids), so that member files can write it from their protected counts; here it is
-- written with the exact ones.
-- Grain: one row per finding_id (finding_id).
with optional_columns as (
    select
        cast(null as bigint) as persons,
        cast(null as varchar) as ids,
        cast(null as varchar) as detail_template
    where false
),
findings as (
    select * from optional_columns
    union all by name
    select * from quality_rules
)
select
    cast(rule_id as varchar) || ':' || coalesce(cast(federation_id as varchar), '') || ':'
        || coalesce(cast(year as varchar), '') || coalesce(':' || cast(finding_key as varchar), '') as finding_id,
    cast(federation_id as varchar) as federation_id,
    cast(year as integer) as year,
    cast(period as varchar) as period,
    cast(rule_id as varchar) as rule_id,
    cast(severity as varchar) as severity,
    cast(coalesce(
        detail,
        replace(replace(replace(detail_template,
            '{antal}', coalesce(cast(affected_rows as varchar), '')),
            '{personer}', coalesce(cast(persons as varchar), '')),
            '{id}', coalesce(ids, ''))
    ) as varchar) as detail,
    cast(affected_rows as bigint) as affected_rows,
    cast(persons as bigint) as persons,
    cast(ids as varchar) as ids,
    cast(detail_template as varchar) as detail_template
from findings
