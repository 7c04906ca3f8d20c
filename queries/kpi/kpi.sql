-- KPI: every KPI in one long table, like Kolada: one value per KPI, level (federation, county, all; with its name),
-- period (year to date, or month for flows), gender (T, K, M) and optional dimension, with its status
-- ('' final, 'preliminar', 'brist' with the ids of the data-quality findings beside it) and the number
-- of federations it covers. Titles, units, definitions and what each KPI depends on are in the KPI
-- catalog. Grain: one row per KPI, level, period, gender and dimension
-- (kpi_id, scope, scope_id, period, kon, dimension).
with finance as (
    select * from fct_finance_year
),
finance_values as (
    select 'medelstilldelning' as kpi_id, scope, scope_id, year, through_period, '' as dimension,
        cast(medelstilldelning as decimal(38, 6)) as value, cast(medelstilldelning as decimal(38, 6)) as numerator,
        cast(null as decimal(38, 6)) as denominator, '' as flag
    from finance
    union all
    select 'extra_medel', scope, scope_id, year, through_period, '', extra_medel, extra_medel, null, ''
    from finance
    union all
    select 'kostnad', scope, scope_id, year, through_period, 'individinriktade_insatser', kostnad_individ,
        kostnad_individ, null, ''
    from finance
    union all
    select 'kostnad', scope, scope_id, year, through_period, 'strukturovergripande_insatser', kostnad_struktur,
        kostnad_struktur, null, ''
    from finance
    union all
    select 'kostnad', scope, scope_id, year, through_period, 'administration', kostnad_administration,
        kostnad_administration, null, ''
    from finance
    union all
    select 'kostnad_total', scope, scope_id, year, through_period, '', kostnad_total, kostnad_total, null, ''
    from finance
    union all
    select 'kostnad_andel', scope, scope_id, year, through_period, 'individinriktade_insatser',
        share(kostnad_individ, kostnad_total), kostnad_individ, kostnad_total, ''
    from finance
    union all
    select 'kostnad_andel', scope, scope_id, year, through_period, 'strukturovergripande_insatser',
        share(kostnad_struktur, kostnad_total), kostnad_struktur, kostnad_total, ''
    from finance
    union all
    select 'kostnad_andel', scope, scope_id, year, through_period, 'administration',
        share(kostnad_administration, kostnad_total), kostnad_administration, kostnad_total, ''
    from finance
    union all
    select 'admin_andel_medelstilldelning', scope, scope_id, year, through_period, '',
        share(kostnad_administration, medelstilldelning), kostnad_administration, medelstilldelning, ''
    from finance
    union all
    select 'resultat', scope, scope_id, year, through_period, '', resultat, resultat, null, ''
    from finance
    union all
    select 'eget_kapital', scope, scope_id, year, through_period, '', eget_kapital_ub, eget_kapital_ub, null, ''
    from finance
    union all
    select
        'eget_kapital_andel',
        scope,
        scope_id,
        year,
        through_period,
        '',
        share(eget_kapital_ub, medelstilldelning_eget_kapital),
        eget_kapital_ub,
        medelstilldelning_eget_kapital,
        -- The recommendation is about the equity a year ends with: flagged in a complete year only
        -- (as the warning).
        case
            when share(eget_kapital_ub, medelstilldelning_eget_kapital) > 0.20 and equity_year_complete
                then 'over_rekommendation'
            else ''
        end
    from finance
    union all
    select 'bidrag_andel', scope, scope_id, year, through_period, 'stat', share(bidrag_stat, medelstilldelning),
        bidrag_stat, medelstilldelning,
        case when abs(share(bidrag_stat, medelstilldelning) - 0.5) > 0.005 then 'avviker_fran_lagen' else '' end
    from finance
    union all
    select 'bidrag_andel', scope, scope_id, year, through_period, 'region', share(bidrag_region, medelstilldelning),
        bidrag_region, medelstilldelning,
        case when abs(share(bidrag_region, medelstilldelning) - 0.25) > 0.005 then 'avviker_fran_lagen' else '' end
    from finance
    union all
    select 'bidrag_andel', scope, scope_id, year, through_period, 'kommuner', share(bidrag_kommun, medelstilldelning),
        bidrag_kommun, medelstilldelning,
        case when abs(share(bidrag_kommun, medelstilldelning) - 0.25) > 0.005 then 'avviker_fran_lagen' else '' end
    from finance
),
member_values as (
    select 'bidrag' as kpi_id, 'forbund' as scope, c.federation_id as scope_id, c.year, y.through_period,
        c.medlem as dimension, cast(c.belopp as decimal(38, 6)) as value, cast(c.belopp as decimal(38, 6)) as numerator,
        cast(null as decimal(38, 6)) as denominator, '' as flag
    from int_member_contributions as c
    join int_federation_years as y on y.federation_id = c.federation_id and y.year = c.year
),
budget_values as (
    select 'budget_utfall' as kpi_id, 'forbund' as scope, b.federation_id as scope_id, b.ar as year, y.through_period,
        b.kategori as dimension, cast(share(o.outcome, b.belopp) as decimal(38, 6)) as value,
        cast(o.outcome as decimal(38, 6)) as numerator, cast(b.belopp as decimal(38, 6)) as denominator, '' as flag
    from ref_budget as b
    join int_federation_years as y on y.federation_id = b.federation_id and y.year = b.ar
    join int_category_outcomes as o on o.federation_id = b.federation_id and o.year = b.ar and o.kategori = b.kategori
),
insats_values as (
    select 'kostnad_insats' as kpi_id, 'forbund' as scope, federation_id as scope_id, year, through_period,
        insats_id as dimension, cast(kostnad as decimal(38, 6)) as value, cast(kostnad as decimal(38, 6)) as numerator,
        cast(null as decimal(38, 6)) as denominator, '' as flag
    from fct_insats_costs_year
    union all
    select 'kostnad_per_deltagare_insats', 'forbund', federation_id, year, through_period, insats_id,
        per(kostnad, deltagare_unika), kostnad, deltagare_unika, ''
    from fct_insats_costs_year
),
participants as (
    select * from fct_participants_year
),
participant_groups as (
    select * from fct_participant_groups_year
),
participant_values as (
    select 'deltagare' as kpi_id, scope, scope_id, year, through_period, kon, '' as dimension,
        cast(deltagare as decimal(38, 6)) as value, cast(deltagare as decimal(38, 6)) as numerator,
        cast(null as decimal(38, 6)) as denominator, '' as flag
    from participants
    union all
    select 'deltagare_unika', scope, scope_id, year, through_period, kon, '', deltagare_unika, deltagare_unika, null, ''
    from participant_groups
    union all
    select 'deltagare_med_personuppgifter', scope, scope_id, year, through_period, kon, '',
        deltagare_med_personuppgifter, deltagare_med_personuppgifter, null, ''
    from participant_groups
    union all
    select 'deltagare_anonyma', scope, scope_id, year, through_period, kon, '', deltagare_anonyma, deltagare_anonyma,
        null, ''
    from participant_groups
    union all
    select 'deltagare_volym', scope, scope_id, year, through_period, kon, '', deltagare_volym, deltagare_volym, null, ''
    from participant_groups
    union all
    select 'deltagare_totalt', scope, scope_id, year, through_period, kon, '', deltagare_totalt, deltagare_totalt, null,
        ''
    from participant_groups
    union all
    select 'deltagare_struktur', scope, scope_id, year, through_period, kon, '', deltagare_struktur, deltagare_struktur,
        null, ''
    from participant_groups
    union all
    select 'nya', scope, scope_id, year, through_period, kon, '', nya, nya, null, ''
    from participants
    union all
    select 'avslutade', scope, scope_id, year, through_period, kon, '', avslutade, avslutade, null, ''
    from participants
    union all
    select 'pagaende_start', scope, scope_id, year, through_period, kon, '', pagaende_start, pagaende_start, null, ''
    from participants
    union all
    select 'pagaende_slut', scope, scope_id, year, through_period, kon, '', pagaende_slut, pagaende_slut, null, ''
    from participants
    union all
    select 'andel_avslutade', scope, scope_id, year, through_period, kon, '', share(avslutade, deltagare), avslutade,
        deltagare, ''
    from participants
    union all
    select 'avslut_arbete_studier_andel', scope, scope_id, year, through_period, kon, '',
        share(avslut_arbete_studier, avslutade), avslut_arbete_studier, avslutade, ''
    from participants
    union all
    select 'avslut_arbete', scope, scope_id, year, through_period, kon, '', avslut_arbete, avslut_arbete, null, ''
    from participants
    union all
    select 'avslut_arbete_med_stod', scope, scope_id, year, through_period, kon, '', avslut_arbete_med_stod,
        avslut_arbete_med_stod, null, ''
    from participants
    union all
    select 'avslut_studier', scope, scope_id, year, through_period, kon, '', avslut_studier, avslut_studier, null, ''
    from participants
    union all
    select 'avslut_stegforflyttning_andel', scope, scope_id, year, through_period, kon, '',
        share(avslut_stegforflyttning, avslutade), avslut_stegforflyttning, avslutade, ''
    from participants
    union all
    select 'avslut_ovrigt_andel', scope, scope_id, year, through_period, kon, '', share(avslut_ovrigt, avslutade),
        avslut_ovrigt, avslutade, ''
    from participants
    union all
    select 'median_dagar', scope, scope_id, year, through_period, kon, '', median_dagar, null, null, ''
    from participants
    union all
    select 'andel_ingen_forsorjning_fore', scope, scope_id, year, through_period, kon, '',
        share(ingen_forsorjning_fore, kand_forsorjning_fore), ingen_forsorjning_fore, kand_forsorjning_fore, ''
    from participants
    union all
    select 'andel_ingen_forsorjning_efter', scope, scope_id, year, through_period, kon, '',
        share(ingen_forsorjning_efter, kand_forsorjning_efter), ingen_forsorjning_efter, kand_forsorjning_efter, ''
    from participants
    union all
    select 'deltagare_aldersgrupp', scope, scope_id, year, through_period, 'T', age_group, deltagare_unika,
        deltagare_unika, null, ''
    from fct_participants_age_year
),
-- Interventions with participants in the period, per kind, at each level (both kinds always given).
intervention_counts as (
    select s.scope, s.scope_id, i.year, i.insats_typ, count(*) as antal_insatser
    from fct_insatser_year as i
    join int_scopes as s on s.federation_id = i.federation_id
    where i.deltagare > 0
    group by s.scope, s.scope_id, i.year, i.insats_typ
),
intervention_values as (
    select 'antal_insatser' as kpi_id, g.scope, g.scope_id, g.year, g.through_period, k.insats_typ as dimension,
        cast(coalesce(c.antal_insatser, 0) as decimal(38, 6)) as value,
        cast(coalesce(c.antal_insatser, 0) as decimal(38, 6)) as numerator, cast(null as decimal(38, 6)) as denominator,
        '' as flag
    from participant_groups as g
    cross join (select unnest(['individ', 'struktur']) as insats_typ) as k
    left join intervention_counts as c
        on c.scope = g.scope and c.scope_id = g.scope_id and c.year = g.year and c.insats_typ = k.insats_typ
    where g.kon = 'T'
    union all
    select 'deltagare_insats', 'forbund', federation_id, year, through_period, insats_id, deltagare, deltagare, null, ''
    from fct_insatser_year
    union all
    select 'deltagare_insats_budget', 'forbund', federation_id, year, through_period, insats_id, budget_deltagare,
        budget_deltagare, null, ''
    from fct_insatser_year where budget_deltagare is not null
    union all
    select 'deltagare_insats_mot_budget', 'forbund', federation_id, year, through_period, insats_id,
        share(deltagare, budget_deltagare), deltagare, budget_deltagare, ''
    from fct_insatser_year where budget_deltagare is not null
),
effectiveness_values as (
    select 'kostnad_per_deltagare' as kpi_id, p.scope, p.scope_id, p.year, p.through_period, 'T' as kon,
        '' as dimension, cast(per(f.kostnad_individ, p.deltagare_unika) as decimal(38, 6)) as value,
        cast(f.kostnad_individ as decimal(38, 6)) as numerator,
        cast(p.deltagare_unika as decimal(38, 6)) as denominator, '' as flag
    from participant_groups as p join finance as f using (scope, scope_id, year) where p.kon = 'T'
    union all
    select 'kostnad_per_avslutad', p.scope, p.scope_id, p.year, p.through_period, 'T', '',
        per(f.kostnad_individ, p.avslutade), f.kostnad_individ, p.avslutade, ''
    from participants as p join finance as f using (scope, scope_id, year) where p.kon = 'T'
    union all
    select 'kostnad_per_positivt_avslut', p.scope, p.scope_id, p.year, p.through_period, 'T', '',
        per(f.kostnad_individ, p.avslut_arbete_studier + p.avslut_stegforflyttning), f.kostnad_individ,
        p.avslut_arbete_studier + p.avslut_stegforflyttning, ''
    from participants as p join finance as f using (scope, scope_id, year) where p.kon = 'T'
    union all
    select 'tackningsgrad', p.scope, p.scope_id, p.year, p.through_period, 'T', '',
        share(p.deltagare_med_personuppgifter, c.malgrupp), p.deltagare_med_personuppgifter, c.malgrupp, ''
    from participant_groups as p join fct_coverage_year as c using (scope, scope_id, year) where p.kon = 'T'
),
flow_values as (
    select 'nya_manad' as kpi_id, 'forbund' as scope, federation_id as scope_id, period,
        cast(nya as decimal(38, 6)) as value
    from fct_participant_flows_month
    union all
    select 'avslutade_manad', 'forbund', federation_id, period, avslutade
    from fct_participant_flows_month
),
all_values as (
    select kpi_id, scope, scope_id, cast(year as varchar) as period, 'ar' as period_type, through_period, 'T' as kon,
        dimension, value, numerator, denominator, flag
    from finance_values
    union all
    select kpi_id, scope, scope_id, cast(year as varchar), 'ar', through_period, 'T', dimension, value, numerator,
        denominator, flag
    from member_values
    union all
    select kpi_id, scope, scope_id, cast(year as varchar), 'ar', through_period, 'T', dimension, value, numerator,
        denominator, flag
    from budget_values
    union all
    select kpi_id, scope, scope_id, cast(year as varchar), 'ar', through_period, 'T', dimension, value, numerator,
        denominator, flag
    from insats_values
    union all
    select kpi_id, scope, scope_id, cast(year as varchar), 'ar', through_period, kon, dimension, value, numerator,
        denominator, flag
    from participant_values
    union all
    select kpi_id, scope, scope_id, cast(year as varchar), 'ar', through_period, 'T', dimension, value, numerator,
        denominator, flag
    from intervention_values
    union all
    select kpi_id, scope, scope_id, cast(year as varchar), 'ar', through_period, kon, dimension, value, numerator,
        denominator, flag
    from effectiveness_values
    union all
    select kpi_id, scope, scope_id, period, 'manad', period, 'T', '', value, value, null, ''
    from flow_values
),
-- Each level's name, as members read it (a federation's name, a county's, 'Alla förbund').
places_named as (
    select distinct scope, scope_id, scope_namn from int_scopes
),
-- Every value with its status (dim_kpi_status, by the areas the catalog says it depends on): withheld
-- values are emptied, with their flag; 'preliminar' is for years, never for a delivered month.
statused as (
    select v.*, p.scope_namn, c.unit, st.withheld, st.federations, coalesce(st.findings, '') as findings,
        st.first_through_period
    from all_values as v
    left join places_named as p on p.scope = v.scope and p.scope_id = v.scope_id
    left join ref_kpi_catalog as c on c.kpi_id = v.kpi_id left join dim_kpi_status as st
        on st.scope = v.scope and st.scope_id = v.scope_id and st.year = cast(substr(v.period, 1, 4) as integer)
        and st.depends_on = coalesce(c.depends_on, '')
)
select
    kpi_id,
    scope,
    scope_id,
    coalesce(scope_namn, scope_id) as scope_namn,
    period,
    period_type,
    through_period,
    kon,
    dimension,
    case when withheld then null else cast(value as decimal(38, 6)) end as value,
    unit,
    case when withheld then null else cast(numerator as decimal(38, 6)) end as numerator,
    case when withheld then null else cast(denominator as decimal(38, 6)) end as denominator,
    case when withheld then '' else flag end as flag,
    case
        when findings <> '' then 'brist'
        when period_type = 'ar' and first_through_period < substr(period, 1, 4) || '-12' then 'preliminar'
        else ''
    end as status,
    findings,
    -- A KPI that depends on no data of the year (budgeted participants) covers its own federation.
    cast(coalesce(federations, 1) as integer) as federations
from statused
