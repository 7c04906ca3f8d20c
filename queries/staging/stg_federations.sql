-- Staging: federations with their member municipalities and their county. A county given as one of Sweden's 21
-- (lan_region_id: its code, Kolada's region id or its name, in any case) is Kolada's region id and the county's name
-- (lan.csv); any other text (an example county) is its own id and name. Grain: one row per federation (federation_id).
with federation_counties as (
    select f.*, lan_region_id(f.lan) as region_id
    from ref_federations as f
)
select
    f.federation_id,
    coalesce(nullif(trim(f.namn), ''), f.federation_id) as namn,
    f.org_nr,
    coalesce(l.region_id, trim(f.lan)) as lan,
    coalesce(l.namn, trim(f.lan)) as lan_namn,
    string_split(coalesce(f.medlemskommuner, ''), '|') as medlemskommuner
from federation_counties as f
left join ref_lan as l on l.region_id = f.region_id
