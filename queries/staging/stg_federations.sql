-- Staging: federations with their member municipalities and their county. A county given as one of Sweden's 21
-- (its code `18`, Kolada's region id `0018` or its name `Örebro län`, in any case) is Kolada's region id and the
-- county's name (lan.csv); any other text (an example county) is its own id and name. Grain: one row per federation
-- (federation_id).
select
    f.federation_id,
    coalesce(nullif(trim(f.namn), ''), f.federation_id) as namn,
    f.org_nr,
    coalesce(l.region_id, trim(f.lan)) as lan,
    coalesce(l.namn, trim(f.lan)) as lan_namn,
    string_split(coalesce(f.medlemskommuner, ''), '|') as medlemskommuner
from ref_federations as f
left join ref_lan as l
    on lower(trim(f.lan)) in (l.lan, l.region_id, lower(l.namn))
