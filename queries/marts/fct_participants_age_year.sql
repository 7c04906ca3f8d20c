-- Mart: unique participants in individual interventions per level, year and age group. Each person counts once, in the group of
-- their exact age at the start of their first registration active in the year, so the groups add up
-- to the unique participants; anonymous participants are the group 'anonym' (one per registration).
-- Grain: one row per scope, scope_id, year and age group.
with episodes as (
    select
        r.federation_id,
        r.year,
        r.through_period,
        r.person_key,
        r.age_group,
        r.startdatum
    from int_registration_years as r
    where r.insats_typ = 'individ'
),
-- The levels whose figures include each federation-year (all of them unless an error withholds its participant figures).
members as (
    select federation_id, year, scope, scope_id from dim_scope_members where area = 'deltagare' and included
),
-- Each person once per level and year, in the age group of the earliest start (the date first, so
-- that a tie between equal dates is broken the same way every time).
scope_persons as (
    select
        s.scope,
        s.scope_id,
        e.year,
        e.person_key,
        arg_min(e.age_group, strftime(e.startdatum, '%Y%m%d') || e.age_group) as age_group
    from episodes as e
    join members as s on s.federation_id = e.federation_id and s.year = e.year
    group by s.scope, s.scope_id, e.year, e.person_key
),
scope_through_periods as (
    select s.scope, s.scope_id, e.year, max(e.through_period) as through_period
    from episodes as e
    join members as s on s.federation_id = e.federation_id and s.year = e.year
    group by s.scope, s.scope_id, e.year
)
select
    p.scope,
    p.scope_id,
    p.year,
    t.through_period,
    p.age_group,
    count(*) as deltagare_unika
from scope_persons as p
join scope_through_periods as t on t.scope = p.scope and t.scope_id = p.scope_id and t.year = p.year
group by p.scope, p.scope_id, p.year, t.through_period, p.age_group
