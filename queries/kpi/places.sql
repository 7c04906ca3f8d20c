-- KPI: the places KPIs are given for, with the names members read, and the federations each adds up (a federation
-- itself; a county its federations; all federations every one): what members join the KPI table with, and the read
-- API's places and groups. Grain: one row per level and federation in it (scope, scope_id, federation_id).
select
    s.scope,
    s.scope_id,
    s.scope_namn,
    s.federation_id,
    f.namn as federation_namn
from int_scopes as s
join stg_federations as f on f.federation_id = s.federation_id
