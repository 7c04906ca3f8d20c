-- Staging: registrations as the latest export shows them (the latest export wins per federation
-- and registrering_id). Registrations ended as felregistrering are kept here and left out later.
-- Grain: one row per federation and registrering_id.
with registrations_by_recency as (
    select
        federation as federation_id,
        period as export_period,
        registrering_id,
        person_pseudonym,
        anonym,
        kon,
        fodelsear,
        kommun,
        insats_id,
        insats_typ,
        startdatum,
        slutdatum,
        utbildning,
        forsorjning_fore,
        forsorjning_efter,
        avslutsorsak,
        row_number() over (partition by federation, registrering_id order by period desc) as recency
    from src_registrations
)
select
    federation_id,
    export_period,
    registrering_id,
    person_pseudonym,
    anonym,
    -- Anonymous registrations cannot be joined to persons: each counts as one person of its own.
    case when anonym then 'anonym:' || federation_id || ':' || registrering_id else person_pseudonym end as person_key,
    kon,
    fodelsear,
    kommun,
    insats_id,
    insats_typ,
    startdatum,
    slutdatum,
    utbildning,
    forsorjning_fore,
    forsorjning_efter,
    avslutsorsak
from registrations_by_recency
where recency = 1
