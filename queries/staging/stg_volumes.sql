-- Staging: participants registered by volume (counted, without personal data) per intervention, month
-- and gender. A volume export is for its own landing month (ingestion checks that manad is that month),
-- and a new export of a month replaces it. Grain: one row per federation, month, insats_id and kon
-- (federation_id, period, insats_id, kon).
-- Built per federation: a federation's rows come from its own data alone.
select
    federation as federation_id,
    period,
    cast(substr(period, 1, 4) as integer) as year,
    insats_id,
    insats_typ,
    kon,
    antal,
    source_sha256,
    source_line
from src_volumes
