-- Mart: participants as SUS and the annual reports count them, per level, year (to date) and gender
-- (T, K, M), for federation-years without errors. In individual interventions: registrations with
-- personal data, anonymous participants (each registration one person: they cannot be joined) and
-- participants registered by volume (the months' counts added up), which together are all participants
-- (deltagare_totalt: "263 registered with personal data + 4 anonymous + 163 by volume = 430"); unique
-- persons with personal data beside them; and participants in structural interventions (registered, and
-- by volume). Unique persons are counted across federations at county and national level. A level's
-- registrations and volume counts are of the federation-years its figures include (dim_scope_members:
-- deltagare and volym). Grain: one row per scope, scope_id, year and kon
-- (scope, scope_id, year, kon).
-- Built per year: a year's rows come from that year's rows of the models it reads.
-- The levels whose figures include each federation-year, each with its number.
with members as (
    select federation_id, year, scope, scope_id, scope_key from dim_participant_levels
),
-- Each level's number within its year.
scope_keys as (
    select distinct year, scope, scope_id, scope_key from members
),
volumes as (
    select v.federation_id, v.year, v.kon, v.insats_typ, v.antal, s.scope, s.scope_id
    from stg_volumes as v
    join dim_scope_members as s
        on s.federation_id = v.federation_id and s.year = v.year and s.area = 'volym' and s.included
),
-- Registrations with personal data in individual interventions, as fct_participants_year counts them
-- (deltagare): they add up, so they are counted per federation and summed to each level, and T is K + M.
federation_registrations as (
    select federation_id, year, kon, count(*) as registreringar
    from int_registration_years
    where insats_typ = 'individ' and not anonym
    group by federation_id, year, kon
),
registration_counts as (
    select s.scope, s.scope_id, r.year, coalesce(r.kon, 'T') as kon, sum(r.registreringar) as registreringar
    from federation_registrations as r
    join members as s on s.federation_id = r.federation_id and s.year = r.year
    group by grouping sets ((s.scope, s.scope_id, r.year, r.kon), (s.scope, s.scope_id, r.year))
),
-- Each person once per level, year, gender and kind of intervention: counting these rows is cheaper than
-- count(distinct).
scope_persons as (
    select distinct s.scope_key, r.year, r.kon, r.insats_typ, r.anonym, r.person_id
    from int_registration_years as r
    join members as s on s.federation_id = r.federation_id and s.year = r.year
),
person_key_counts as (
    select
        scope_key, year, kon,
        count(*) filter (where insats_typ = 'individ' and not anonym) as deltagare_med_personuppgifter,
        count(*) filter (where insats_typ = 'individ' and anonym) as deltagare_anonyma,
        count(*) filter (where insats_typ = 'struktur') as struktur_registrerade
    from scope_persons
    group by scope_key, year, kon
    union all
    -- A person registered as K in one registration and M in another counts once in T.
    select
        scope_key, year, 'T' as kon,
        count(distinct person_id) filter (where insats_typ = 'individ' and not anonym),
        count(distinct person_id) filter (where insats_typ = 'individ' and anonym),
        count(distinct person_id) filter (where insats_typ = 'struktur')
    from scope_persons
    group by scope_key, year
),
person_counts as (
    select k.scope, k.scope_id, c.* exclude (scope_key)
    from person_key_counts as c
    join scope_keys as k on k.year = c.year and k.scope_key = c.scope_key
),
volume_counts as (
    select
        scope,
        scope_id,
        year,
        coalesce(kon, 'T') as kon,
        coalesce(sum(antal) filter (where insats_typ = 'individ'), 0) as deltagare_volym,
        coalesce(sum(antal) filter (where insats_typ = 'struktur'), 0) as struktur_volym
    from volumes
    group by grouping sets ((scope, scope_id, year, kon), (scope, scope_id, year))
),
-- The federation-years with participants (registered or by volume), and the latest month of each level.
federation_years as (
    select s.scope, s.scope_id, r.federation_id, r.year
    from (select distinct federation_id, year from int_registration_years) as r
    join members as s on s.federation_id = r.federation_id and s.year = r.year
    union
    select scope, scope_id, federation_id, year from volumes
),
scope_years as (
    select f.scope, f.scope_id, f.year, max(y.through_period) as through_period
    from federation_years as f
    join int_federation_years as y on y.federation_id = f.federation_id and y.year = f.year
    group by f.scope, f.scope_id, f.year
),
genders as (
    select unnest(['T', 'K', 'M']) as kon
),
groups as (
    select
        y.scope,
        y.scope_id,
        y.year,
        y.through_period,
        g.kon,
        cast(coalesce(r.registreringar, 0) as bigint) as registreringar,
        cast(coalesce(p.deltagare_med_personuppgifter, 0) as bigint) as deltagare_med_personuppgifter,
        cast(coalesce(p.deltagare_anonyma, 0) as bigint) as deltagare_anonyma,
        cast(coalesce(v.deltagare_volym, 0) as bigint) as deltagare_volym,
        cast(coalesce(p.struktur_registrerade, 0) + coalesce(v.struktur_volym, 0) as bigint) as deltagare_struktur
    from scope_years as y
    cross join genders as g
    left join registration_counts as r
        on r.scope = y.scope and r.scope_id = y.scope_id and r.year = y.year and r.kon = g.kon
    left join person_counts as p on p.scope = y.scope and p.scope_id = y.scope_id and p.year = y.year and p.kon = g.kon
    left join volume_counts as v on v.scope = y.scope and v.scope_id = y.scope_id and v.year = y.year and v.kon = g.kon
)
select
    scope,
    scope_id,
    year,
    through_period,
    kon,
    deltagare_med_personuppgifter,
    deltagare_anonyma,
    deltagare_med_personuppgifter + deltagare_anonyma as deltagare_unika,
    deltagare_volym,
    registreringar + deltagare_anonyma + deltagare_volym as deltagare_totalt,
    deltagare_struktur
from groups
