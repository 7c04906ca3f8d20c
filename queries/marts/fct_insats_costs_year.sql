-- Mart: the individual-intervention costs booked on each intervention's ledger object (from
-- insatser.csv) and its unique participants. Grain: one row per federation, year and insats
-- (federation_id, year, insats_id).
-- Built per federation: a federation's rows come from its own data alone.
with insats_costs as (
    select i.federation_id, i.insats_id, a.year, cast(sum(a.amount) as decimal(18, 2)) as kostnad
    from ref_insatser as i
    join int_account_rows_mapped as a
        on a.federation_id = i.federation_id
        and a.source = 'ledger'
        and a.kategori = 'individinriktade_insatser'
        and list_has_all(string_split(a.cost_objects, '|'), string_split(i.objekt, '|'))
    where nullif(i.objekt, '') is not null
    group by all
),
insats_participants as (
    select federation_id, insats_id, year, count(distinct person_id) as deltagare_unika
    from int_registration_years
    where insats_typ = 'individ'
    group by all
)
select
    c.federation_id,
    c.insats_id,
    c.year,
    y.through_period,
    c.kostnad,
    coalesce(p.deltagare_unika, 0) as deltagare_unika
from insats_costs as c
join int_federation_years as y on y.federation_id = c.federation_id and y.year = c.year
left join insats_participants as p
    on p.federation_id = c.federation_id and p.insats_id = c.insats_id and p.year = c.year
