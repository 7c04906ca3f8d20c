-- Intermediate: the years each federation has delivered data for, with the latest month present
-- (KPIs are year to date through that month). A month whose export had no rows is delivered too
-- (src_partitions), as int_expected_exports counts it. Grain: one row per federation and year
-- (federation_id, year).
-- Built per federation: a federation's rows come from its own data alone.
with delivered_months as (
    select federation_id, period from stg_ledger
    union
    select federation_id, period from stg_registration_listings
    union
    select federation_id, period from stg_volumes
    union
    select federation as federation_id, period
    from src_partitions
    where dataset in ('ledger', 'registrations', 'volumes')
)
select
    federation_id,
    cast(substr(period, 1, 4) as integer) as year,
    max(period) as through_period,
    month_end(max(period)) as through_date
from delivered_months
group by federation_id, cast(substr(period, 1, 4) as integer)
