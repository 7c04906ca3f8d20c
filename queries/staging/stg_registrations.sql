-- Staging: registrations as the latest export shows them (the latest export wins per federation
-- and registrering_id). Registrations ended as felregistrering are kept here and left out later.
-- Grain: one row per federation and registrering_id (federation_id, registrering_id).
-- The latest export is found by an aggregate and a join rather than a window over every export
-- row: both can spill to disk, so a national history many times larger still fits DuckDB's limit.
-- Built per federation: a federation's rows come from its own data alone.
with latest_export_periods as (
    select
        federation,
        registrering_id,
        max(period) as period
    from src_registrations
    group by federation, registrering_id
),
latest_exports as (
    select
        r.federation as federation_id,
        r.period as export_period,
        r.registrering_id,
        r.person_pseudonym,
        r.anonym,
        r.kon,
        r.alder_start,
        r.kommun,
        r.insats_id,
        r.insats_typ,
        r.startdatum,
        r.slutdatum,
        r.utbildning,
        r.forsorjning_fore,
        r.forsorjning_efter,
        r.avslutsorsak
    from src_registrations as r
    -- An export lists a registration once (ingestion refuses a file that repeats an id).
    join latest_export_periods as l
        on l.federation = r.federation and l.registrering_id = r.registrering_id and l.period = r.period
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
    alder_start,
    kommun,
    insats_id,
    insats_typ,
    startdatum,
    slutdatum,
    utbildning,
    forsorjning_fore,
    forsorjning_efter,
    avslutsorsak
from latest_exports
