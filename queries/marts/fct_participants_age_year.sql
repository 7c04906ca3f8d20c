-- Mart: unique participants per level, year and age group at start (16–29, 30–44, 45–59, 60+).
-- Grain: one row per scope, scope_id, year and age group.
select
    s.scope,
    s.scope_id,
    r.year,
    max(r.through_period) as through_period,
    r.age_group,
    count(distinct r.person_key) as deltagare_unika
from int_registration_years as r
join dim_federation_years as y on y.federation_id = r.federation_id and y.year = r.year and not y.has_errors
join int_scopes as s on s.federation_id = r.federation_id
where not r.anonym
group by s.scope, s.scope_id, r.year, r.age_group
