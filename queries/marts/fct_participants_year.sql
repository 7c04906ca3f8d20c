-- Mart: registrations with personal data in individual interventions per level, year (to date) and
-- gender (T, K, M): the flows (in the period, new, ended,
-- ongoing), the exits and support before and after. Only registrations with personal data are
-- followed up (anonymous ones are never registered out); the annual reports' groups of participants
-- (with personal data, anonymous, by volume) are in fct_participant_groups_year.
-- Grain: one row per scope, scope_id, year and kon (scope, scope_id, year, kon).
-- Built per year: a year's rows come from that year's rows of the models it reads.
-- Counts of registrations add up, so they are counted per federation and summed to each level; the
-- median does not, so it is computed at each level from the episodes.
with episodes as (
    select *
    from int_registration_years
    where insats_typ = 'individ' and not anonym
),
-- The levels whose figures include each federation-year, each with its number.
members as (
    select federation_id, year, scope, scope_id, scope_key from dim_participant_levels
),
federation_counts as (
    select
        federation_id,
        year,
        kon,
        max(through_period) as through_period,
        count(*) as deltagare,
        count(*) filter (where is_new) as nya,
        count(*) filter (where is_ended) as avslutade,
        count(*) filter (where ongoing_at_start) as pagaende_start,
        count(*) filter (where ongoing_at_end) as pagaende_slut,
        count(*) filter (where exit_group = 'arbete_studier') as avslut_arbete_studier,
        count(*) filter (where avslutsorsak = 'arbete') as avslut_arbete,
        count(*) filter (where avslutsorsak = 'arbete_med_stod') as avslut_arbete_med_stod,
        count(*) filter (where avslutsorsak = 'studier') as avslut_studier,
        count(*) filter (where exit_group = 'stegforflyttning') as avslut_stegforflyttning,
        count(*) filter (where exit_group = 'ovrigt') as avslut_ovrigt,
        count(*) filter (where no_public_support_before) as ingen_forsorjning_fore,
        count(*) filter (where no_public_support_before is not null) as kand_forsorjning_fore,
        count(*) filter (where no_public_support_after) as ingen_forsorjning_efter,
        count(*) filter (where no_public_support_after is not null) as kand_forsorjning_efter
    from episodes
    group by federation_id, year, kon
),
scope_counts as (
    select
        s.scope,
        s.scope_id,
        c.year,
        coalesce(c.kon, 'T') as kon,
        max(c.through_period) as through_period,
        cast(sum(c.deltagare) as bigint) as deltagare,
        cast(sum(c.nya) as bigint) as nya,
        cast(sum(c.avslutade) as bigint) as avslutade,
        cast(sum(c.pagaende_start) as bigint) as pagaende_start,
        cast(sum(c.pagaende_slut) as bigint) as pagaende_slut,
        cast(sum(c.avslut_arbete_studier) as bigint) as avslut_arbete_studier,
        cast(sum(c.avslut_arbete) as bigint) as avslut_arbete,
        cast(sum(c.avslut_arbete_med_stod) as bigint) as avslut_arbete_med_stod,
        cast(sum(c.avslut_studier) as bigint) as avslut_studier,
        cast(sum(c.avslut_stegforflyttning) as bigint) as avslut_stegforflyttning,
        cast(sum(c.avslut_ovrigt) as bigint) as avslut_ovrigt,
        cast(sum(c.ingen_forsorjning_fore) as bigint) as ingen_forsorjning_fore,
        cast(sum(c.kand_forsorjning_fore) as bigint) as kand_forsorjning_fore,
        cast(sum(c.ingen_forsorjning_efter) as bigint) as ingen_forsorjning_efter,
        cast(sum(c.kand_forsorjning_efter) as bigint) as kand_forsorjning_efter
    from federation_counts as c
    join members as s on s.federation_id = c.federation_id and s.year = c.year
    group by grouping sets ((s.scope, s.scope_id, c.year, c.kon), (s.scope, s.scope_id, c.year))
),
-- Each level's number within its year, for the medians' groups.
scope_keys as (
    select distinct year, scope, scope_id, scope_key from members
),
scope_median_days as (
    select k.scope, k.scope_id, m.year, m.kon, m.median_dagar
    from (
        select
            m.scope_key,
            e.year,
            coalesce(e.kon, 'T') as kon,
            median(e.days_in_insats) as median_dagar
        from episodes as e
        join members as m on m.federation_id = e.federation_id and m.year = e.year
        where e.is_ended
        group by grouping sets ((m.scope_key, e.year, e.kon), (m.scope_key, e.year))
    ) as m
    join scope_keys as k on k.year = m.year and k.scope_key = m.scope_key
)
select
    c.scope,
    c.scope_id,
    c.year,
    c.through_period,
    c.kon,
    c.deltagare,
    c.nya,
    c.avslutade,
    c.pagaende_start,
    c.pagaende_slut,
    c.avslut_arbete_studier,
    c.avslut_arbete,
    c.avslut_arbete_med_stod,
    c.avslut_studier,
    c.avslut_stegforflyttning,
    c.avslut_ovrigt,
    m.median_dagar,
    c.ingen_forsorjning_fore,
    c.kand_forsorjning_fore,
    c.ingen_forsorjning_efter,
    c.kand_forsorjning_efter
from scope_counts as c
left join scope_median_days as m on m.scope = c.scope and m.scope_id = c.scope_id and m.year = c.year and m.kon = c.kon
