-- Staging: federations with their member municipalities. Grain: one row per federation (federation_id).
select
    federation_id,
    namn,
    org_nr,
    lan,
    string_split(coalesce(medlemskommuner, ''), '|') as medlemskommuner
from ref_federations
