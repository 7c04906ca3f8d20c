-- Mart: unique participants per level, year and age group at start (16–29, 30–44, 45–59, 60+).
-- Grain: one row per scope, scope_id, year and age group.
with episodes as (
    select
        r.federation_id,
        r.year,
        r.through_period,
        r.age_group,
        r.person_key
    from int_registration_years as r
    join dim_federation_years as y on y.federation_id = r.federation_id and y.year = r.year and not y.has_errors
    where not r.anonym
),
-- Each person once per level, year and age group: counting these rows is cheaper than count(distinct).
scope_persons as (
    select distinct
        s.scope,
        s.scope_id,
        e.year,
        e.age_group,
        e.person_key
    from episodes as e
    join int_scopes as s on s.federation_id = e.federation_id
),
federation_through_periods as (
    select federation_id, year, age_group, max(through_period) as through_period
    from episodes
    group by federation_id, year, age_group
),
scope_through_periods as (
    select
        s.scope,
        s.scope_id,
        f.year,
        f.age_group,
        max(f.through_period) as through_period
    from federation_through_periods as f
    join int_scopes as s on s.federation_id = f.federation_id
    group by s.scope, s.scope_id, f.year, f.age_group
)
select
    p.scope,
    p.scope_id,
    p.year,
    t.through_period,
    p.age_group,
    count(*) as deltagare_unika
from scope_persons as p
join scope_through_periods as t on t.scope = p.scope and t.scope_id = p.scope_id and t.year = p.year and t.age_group is not distinct from p.age_group
group by p.scope, p.scope_id, p.year, t.through_period, p.age_group
