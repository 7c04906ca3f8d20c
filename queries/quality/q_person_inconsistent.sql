-- Quality: one pseudonymised person registered with different gender (the birth date, and so the
-- age, comes from the identity number and cannot differ) (warning). Grain: one row per federation and person.
with persons as (
    select person_pseudonym
    from stg_registrations
    where person_pseudonym is not null
    group by person_pseudonym
    having count(distinct kon) > 1
)
select
    r.federation_id,
    cast(substr(max(r.export_period), 1, 4) as integer) as year,
    cast(null as varchar) as period,
    'person_inconsistent' as rule_id,
    'warning' as severity,
    'En person har registrerats med olika kön / one person is registered with different gender' as detail,
    count(*) as affected_rows
from stg_registrations as r
join persons as p on p.person_pseudonym = r.person_pseudonym
group by r.federation_id, r.person_pseudonym
