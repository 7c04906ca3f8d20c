-- Mart: unique participants in individual interventions per level, year and age group. Each person counts
-- once, in the group of their exact age at the start of their first registration active in the year, so the
-- groups add up to the unique participants; anonymous participants are the group 'anonym' (one per
-- registration).
-- Every age group has a row, 0 when nobody is in it: a row that appears only when the group has someone would tell a
-- member that a suppressed group holds at least one person ('okand', registrations curated before the age was kept,
-- only where there are any).
-- Grain: one row per scope, scope_id, year and age group (scope, scope_id, year, age_group).
-- Built per year: a year's rows come from that year's rows of the models it reads.
with episodes as (
    select
        r.federation_id,
        r.year,
        r.through_period,
        r.person_id,
        r.age_group,
        r.startdatum
    from int_registration_years as r
    where r.insats_typ = 'individ'
),
-- The levels whose figures include each federation-year, each with its number.
members as (
    select federation_id, year, scope, scope_id, scope_key from dim_participant_levels
),
-- Each level's number within its year.
scope_keys as (
    select distinct year, scope, scope_id, scope_key from members
),
-- Each person once per level and year, in the age group of the earliest start (the date first, then the group, so
-- that a tie between equal dates is broken the same way every time).
scope_key_persons as (
    select
        s.scope_key,
        e.year,
        e.person_id,
        arg_min(e.age_group, (e.startdatum, e.age_group)) as age_group
    from episodes as e
    join members as s on s.federation_id = e.federation_id and s.year = e.year
    group by s.scope_key, e.year, e.person_id
),
-- The latest month of each level's federation-years with participants.
scope_through_periods as (
    select s.scope, s.scope_id, e.year, max(e.through_period) as through_period
    from (select distinct federation_id, year, through_period from episodes) as e
    join members as s on s.federation_id = e.federation_id and s.year = e.year
    group by s.scope, s.scope_id, e.year
),
group_counts as (
    select k.scope, k.scope_id, c.year, c.age_group, c.deltagare_unika
    from (
        select scope_key, year, age_group, count(*) as deltagare_unika
        from scope_key_persons
        group by scope_key, year, age_group
    ) as c
    join scope_keys as k on k.year = c.year and k.scope_key = c.scope_key
),
every_group as (
    select t.scope, t.scope_id, t.year, t.through_period, g.age_group
    from scope_through_periods as t
    cross join (select unnest(['under_16', '16-29', '30-44', '45-59', '60-64', '65+', 'anonym']) as age_group) as g
    union
    select c.scope, c.scope_id, c.year, t.through_period, c.age_group
    from group_counts as c
    join scope_through_periods as t on t.scope = c.scope and t.scope_id = c.scope_id and t.year = c.year
)
select
    e.scope,
    e.scope_id,
    e.year,
    e.through_period,
    e.age_group,
    coalesce(c.deltagare_unika, 0) as deltagare_unika
from every_group as e
left join group_counts as c
    on c.scope = e.scope and c.scope_id = e.scope_id and c.year = e.year and c.age_group = e.age_group
