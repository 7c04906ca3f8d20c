-- Staging: which monthly participant export listed which registration.
-- Grain: one row per federation, export month and registrering_id.
select
    federation as federation_id,
    period,
    registrering_id
from src_registrations
