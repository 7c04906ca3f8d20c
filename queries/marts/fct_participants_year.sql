-- Mart: participant counts per level, year (to date) and gender (T, K, M), for federation-years
-- without errors. Unique individuals are counted across federations at county and national level.
-- Grain: one row per scope, scope_id, year and kon.
with episodes as (
    select s.scope, s.scope_id, r.*
    from int_registration_years as r
    join dim_federation_years as y on y.federation_id = r.federation_id and y.year = r.year and not y.has_errors
    join int_scopes as s on s.federation_id = r.federation_id
)
select
    scope,
    scope_id,
    year,
    max(through_period) as through_period,
    coalesce(kon, 'T') as kon,
    count(*) as deltagare,
    count(distinct person_key) as deltagare_unika,
    count(*) filter (where anonym) as deltagare_anonyma,
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
    median(days_in_insats) filter (where is_ended) as median_dagar,
    count(*) filter (where no_public_support_before) as ingen_forsorjning_fore,
    count(*) filter (where no_public_support_before is not null) as kand_forsorjning_fore,
    count(*) filter (where no_public_support_after) as ingen_forsorjning_efter,
    count(*) filter (where no_public_support_after is not null) as kand_forsorjning_efter
from episodes
group by grouping sets ((scope, scope_id, year, kon), (scope, scope_id, year))
