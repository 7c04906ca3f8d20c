-- Mart: federation-years and whether an error finding stops their KPIs (other federations still
-- get theirs; errored federation-years are left out of county and national totals too).
-- Grain: one row per federation and year.
select
    y.federation_id,
    y.year,
    y.through_period,
    y.through_date,
    f.lan,
    exists (
        select 1 from quality as q
        where q.federation_id = y.federation_id and q.year = y.year and q.severity = 'error'
    ) as has_errors
from int_federation_years as y
join stg_federations as f on f.federation_id = y.federation_id
