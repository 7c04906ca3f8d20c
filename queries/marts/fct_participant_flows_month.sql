-- Mart: new and ended registrations per federation and month (flows), for delivered months.
-- Grain: one row per federation and month.
with months as (
    select distinct federation_id, period from stg_registration_listings
),
individual as (
    select * from stg_registrations
    where insats_typ = 'individ' and coalesce(avslutsorsak, '') <> 'felregistrering'
)
select
    m.federation_id,
    m.period,
    count(*) filter (where strftime(r.startdatum, '%Y-%m') = m.period) as nya,
    count(*) filter (where strftime(r.slutdatum, '%Y-%m') = m.period) as avslutade
from months as m
left join individual as r on r.federation_id = m.federation_id
group by m.federation_id, m.period
