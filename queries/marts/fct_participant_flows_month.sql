-- Mart: new and ended registrations with personal data in individual interventions per federation
-- and month (flows), for delivered months. Grain: one row per federation and month (federation_id, period).
-- Built per federation: a federation's rows come from its own data alone.
with months as (
    select distinct federation_id, period from stg_registration_listings
),
individual as (
    select federation_id, startdatum, slutdatum
    from stg_registrations
    where insats_typ = 'individ' and not anonym and coalesce(avslutsorsak, '') <> 'felregistrering'
),
starts as (
    select federation_id, strftime(startdatum, '%Y-%m') as period, count(*) as nya
    from individual
    group by all
),
ends as (
    select federation_id, strftime(slutdatum, '%Y-%m') as period, count(*) as avslutade
    from individual
    where slutdatum is not null
    group by all
)
select
    m.federation_id,
    m.period,
    coalesce(s.nya, 0) as nya,
    coalesce(e.avslutade, 0) as avslutade
from months as m
left join starts as s on s.federation_id = m.federation_id and s.period = m.period
left join ends as e on e.federation_id = m.federation_id and e.period = m.period
