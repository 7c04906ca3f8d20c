-- Quality: pseudonymised persons registered with different gender (the birth date, and so the age,
-- comes from the identity number and cannot differ) (error): counted as both K and M, the counts by
-- gender are off. Counted per federation and year in which such a person's registrations are active.
-- Grain: one row per federation and year (federation_id, year, finding_key).
-- The hashes of pseudonyms registered with more than one gender, in one federation or across federations (a shared hash
-- can make a candidate of persons who are not: persons below decides on the pseudonyms).
with candidates as (
    select person_hash
    from int_person_genders
    group by person_hash
    having min(kon_min) <> max(kon_max)
),
-- The registrations of the candidates (the federations that have any first: a cheap test that spares reading the
-- other federations' registrations).
candidate_registrations as (
    select r.*
    from int_person_registrations as r
    where r.federation_id in (
            select g.federation_id from int_person_genders as g join candidates as c on c.person_hash = g.person_hash
        )
        and r.person_hash in (select person_hash from candidates)
),
persons as (
    select person_pseudonym
    from candidate_registrations
    group by person_pseudonym
    having count(distinct kon) > 1
),
affected as (
    select r.federation_id, y.year, r.person_pseudonym, r.registrering_id
    from candidate_registrations as r
    join persons as p on p.person_pseudonym = r.person_pseudonym
    join int_federation_years as y
        on y.federation_id = r.federation_id
        and r.startdatum <= y.through_date
        and (r.slutdatum is null or r.slutdatum >= make_date(y.year, 1, 1))
)
select
    federation_id,
    year,
    cast(null as varchar) as period,
    'person_inconsistent' as rule_id,
    'error' as severity,
    -- A template: {personer} is persons (member files show '..' where the count is protected).
    cast(null as varchar) as detail,
    '{personer} personer har registrerats med olika kön / '
        || '{personer} persons are registered with different gender' as detail_template,
    count(*) as affected_rows,
    count(distinct person_pseudonym) as persons,
    cast(null as varchar) as finding_key
from affected
group by federation_id, year
