-- Quality: the same person registered twice in the same intervention with overlapping dates (warning).
-- Grain: one row per pair of overlapping registrations (federation_id, year, finding_key).
-- Built per federation: a federation's rows come from its own data alone.
select
    a.federation_id,
    year(greatest(a.startdatum, b.startdatum)) as year,
    cast(null as varchar) as period,
    'overlapping_registrations' as rule_id,
    'warning' as severity,
    -- A template: {id} names the two registrations (a count of two: member files show '..').
    cast(null as varchar) as detail,
    'Registreringarna {id} i ' || a.insats_id
        || ' överlappar / registrations {id} in ' || a.insats_id || ' overlap' as detail_template,
    a.registrering_id || ', ' || b.registrering_id as ids,
    2 as affected_rows,
    a.registrering_id || '+' || b.registrering_id as finding_key
from stg_registrations as a
join stg_registrations as b
    on b.federation_id = a.federation_id
    and b.person_pseudonym = a.person_pseudonym
    and b.insats_id = a.insats_id
    and b.registrering_id > a.registrering_id
    and a.startdatum <= coalesce(b.slutdatum, date '9999-12-31')
    and b.startdatum <= coalesce(a.slutdatum, date '9999-12-31')
where a.person_pseudonym is not null
