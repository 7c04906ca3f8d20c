-- Mart: each intervention's participants per federation and year (to date): unique persons
-- registered in it (each anonymous registration one) and those
-- registered by volume, with the participants budgeted for it in insatser.csv. An intervention's kind
-- (individ or struktur) is the one its registrations and volume counts give, else its insatser.csv
-- typ. Grain: one row per federation, year and insats_id (federation_id, year, insats_id).
-- Built per federation: a federation's rows come from its own data alone.
with registered as (
    select federation_id, year, insats_id, min(insats_typ) as insats_typ, count(distinct person_id) as deltagare
    from int_registration_years
    group by federation_id, year, insats_id
),
by_volume as (
    select federation_id, year, insats_id, min(insats_typ) as insats_typ, sum(antal) as deltagare
    from stg_volumes
    group by federation_id, year, insats_id
),
budgeted as (
    select
        i.federation_id,
        y.year,
        i.insats_id,
        case when i.typ = 'struktur' then 'struktur' else 'individ' end as insats_typ,
        i.budget_deltagare
    from ref_insatser as i
    join int_federation_years as y on y.federation_id = i.federation_id
    where i.budget_deltagare is not null
),
interventions as (
    select federation_id, year, insats_id from registered
    union
    select federation_id, year, insats_id from by_volume
    union
    select federation_id, year, insats_id from budgeted
)
select
    i.federation_id,
    i.year,
    y.through_period,
    i.insats_id,
    coalesce(r.insats_typ, v.insats_typ, b.insats_typ) as insats_typ,
    cast(coalesce(r.deltagare, 0) + coalesce(v.deltagare, 0) as bigint) as deltagare,
    b.budget_deltagare
from interventions as i
join int_federation_years as y on y.federation_id = i.federation_id and y.year = i.year
left join registered as r on r.federation_id = i.federation_id and r.year = i.year and r.insats_id = i.insats_id
left join by_volume as v on v.federation_id = i.federation_id and v.year = i.year and v.insats_id = i.insats_id
left join budgeted as b on b.federation_id = i.federation_id and b.year = i.year and b.insats_id = i.insats_id
