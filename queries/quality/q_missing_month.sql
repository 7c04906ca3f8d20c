-- Quality: a month missing between a federation's first and latest month, per export kind (error).
-- Grain: one row per federation, kind and missing month.
with delivered as (
    select distinct federation_id, 'ledger' as kind, period from stg_ledger
    union
    select distinct federation_id, 'participants' as kind, period from stg_registration_listings
),
ranges as (
    select federation_id, kind, cast(min(period) || '-01' as date) as first_month, cast(max(period) || '-01' as date) as last_month
    from delivered
    group by federation_id, kind
),
expected as (
    select federation_id, kind, strftime(month, '%Y-%m') as period
    from ranges, unnest(generate_series(first_month, last_month, interval 1 month)) as months(month)
)
select
    e.federation_id,
    cast(substr(e.period, 1, 4) as integer) as year,
    e.period,
    'missing_month' as rule_id,
    'error' as severity,
    'Export saknas (' || e.kind || ') för ' || e.period || ' / the ' || e.kind || ' export for ' || e.period || ' is missing' as detail,
    0 as affected_rows
from expected as e
anti join delivered as d on d.federation_id = e.federation_id and d.kind = e.kind and d.period = e.period
