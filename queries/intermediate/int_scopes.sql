-- Intermediate: the levels KPIs are given for, with the name members read: each federation, each county (lan) and
-- all federations. Grain: one row per federation and level it belongs to (federation_id, scope, scope_id).
select federation_id, 'forbund' as scope, federation_id as scope_id, namn as scope_namn from stg_federations
union all
select federation_id, 'lan' as scope, lan as scope_id, lan_namn as scope_namn from stg_federations
union all
select federation_id, 'alla' as scope, 'alla' as scope_id, 'Alla förbund' as scope_namn from stg_federations
