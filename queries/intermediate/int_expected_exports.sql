-- Intermediate: the monthly exports each federation is expected to have delivered, per kind, and
-- whether it did. Ledger and participant exports are expected from the federation's first export of
-- the kind through its latest month of either kind, so that a month missing at the end shows too (the
-- KPIs run through that latest month); volume exports, which are optional, from the first through the
-- latest volume export. Grain: one row per federation, kind and month (federation_id, kind, period).
-- A month counts as delivered when its export was accepted, also when it had no rows (a participant export
-- with nobody active that month): src_partitions lists the curated partitions, rows or not.
-- Built per federation: a federation's rows come from its own data alone.
with delivered as (
    select distinct federation_id, 'ledger' as kind, period from stg_ledger
    union
    select distinct federation_id, 'participants' as kind, period from stg_registration_listings
    union
    select distinct federation_id, 'volumes' as kind, period from stg_volumes
    union
    select
        federation as federation_id,
        case dataset
            when 'ledger' then 'ledger'
            when 'registrations' then 'participants'
            else 'volumes'
        end as kind,
        period
    from src_partitions
    where dataset in ('ledger', 'registrations', 'volumes')
),
latest_months as (
    select federation_id, max(period) as period
    from delivered
    where kind in ('ledger', 'participants')
    group by federation_id
),
ranges as (
    select
        d.federation_id,
        d.kind,
        cast(min(d.period) || '-01' as date) as first_month,
        cast(case when d.kind = 'volumes' then max(d.period) else max(l.period) end || '-01' as date) as last_month
    from delivered as d
    left join latest_months as l on l.federation_id = d.federation_id
    group by d.federation_id, d.kind
),
expected as (
    select federation_id, kind, strftime(month, '%Y-%m') as period
    from ranges, unnest(generate_series(first_month, last_month, interval 1 month)) as months(month)
)
select
    e.federation_id,
    e.kind,
    e.period,
    d.period is not null as delivered
from expected as e
left join delivered as d on d.federation_id = e.federation_id and d.kind = e.kind and d.period = e.period
