-- Staging: which monthly participant export listed which registration, and whether it had ended as
-- that export showed it. Grain: one row per federation, export month and registrering_id
-- (federation_id, period, registrering_id).
-- Built per federation: a federation's rows come from its own data alone.
select
    federation as federation_id,
    period,
    registrering_id,
    slutdatum
from src_registrations
