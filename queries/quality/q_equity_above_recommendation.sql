-- Quality: equity above the national recommendation of at most 20 % of the year's contributions (warning). The
-- recommendation is about the equity a year ends with against a whole year's allocated funds, so equity is never
-- measured against the contributions of the months so far (in January to March that fired for every federation):
--   a complete year (its December ledger delivered): equity at 31 December against the year's contributions;
--   an incomplete year: the opening equity (1 January, with a result not yet booked) against the contributions
--   budgeted for the year (budget.csv: bidrag_stat, bidrag_region and bidrag_kommun, all three), else the previous
--   year's when that year is complete; else no finding.
-- Not for a federation-year whose finance an unmapped account or a mapping conflict withholds (quality_scope.csv),
-- nor measured against a year so withheld: the warning would state what is withheld. Grain: one row per federation
-- and year (federation_id, year, finding_key).
-- Built per federation: a federation's rows come from its own data alone.
with incompletely_mapped as (
    select distinct federation_id, year from int_account_rows_mapped where mapping_status <> 'mapped'
),
complete_years as (
    select f.federation_id, f.year, f.medelstilldelning
    from int_finance_year as f
    anti join incompletely_mapped as m on m.federation_id = f.federation_id and m.year = f.year
    where f.ledger_complete
),
budgeted_contributions as (
    select federation_id, ar as year, sum(belopp) as medelstilldelning
    from ref_budget
    where kategori in ('bidrag_stat', 'bidrag_region', 'bidrag_kommun')
    group by federation_id, ar
    having count(distinct kategori) = 3
),
measures as (
    select
        f.federation_id,
        f.year,
        f.through_period,
        case
            when c.year is not null then 'year'
            when b.medelstilldelning > 0 then 'budget'
            when p.medelstilldelning > 0 then 'previous_year'
        end as basis,
        case when c.year is not null then f.eget_kapital_ub else f.eget_kapital_ib end as equity,
        case
            when c.year is not null then f.medelstilldelning
            when b.medelstilldelning > 0 then b.medelstilldelning
            else p.medelstilldelning
        end as contributions
    from int_finance_year as f
    anti join incompletely_mapped as m on m.federation_id = f.federation_id and m.year = f.year
    left join complete_years as c on c.federation_id = f.federation_id and c.year = f.year
    left join budgeted_contributions as b on b.federation_id = f.federation_id and b.year = f.year
    left join complete_years as p on p.federation_id = f.federation_id and p.year = f.year - 1
),
above as (
    select federation_id, year, through_period, basis, share(equity, contributions) as equity_share
    from measures
    where basis is not null and contributions > 0 and share(equity, contributions) > 0.20
)
select
    federation_id,
    year,
    through_period as period,
    'equity_above_recommendation' as rule_id,
    'warning' as severity,
    case basis
        when 'year' then
            'Eget kapital 31 december ' || cast(year as varchar) || ' är ' || percent_sv(equity_share)
            || ' av årets medelstilldelning (rekommendation högst 20 %) / equity at 31 December '
            || cast(year as varchar) || ' is ' || percent_en(equity_share)
            || ' of the year''s contributions (recommended at most 20 %)'
        when 'budget' then
            'Ingående eget kapital ' || cast(year as varchar) || ' är ' || percent_sv(equity_share)
            || ' av den budgeterade medelstilldelningen ' || cast(year as varchar)
            || ' (rekommendation högst 20 %) / opening equity '
            || cast(year as varchar) || ' is ' || percent_en(equity_share) || ' of the contributions budgeted for '
            || cast(year as varchar) || ' (recommended at most 20 %)'
        else
            'Ingående eget kapital ' || cast(year as varchar) || ' är ' || percent_sv(equity_share)
            || ' av medelstilldelningen ' || cast(year - 1 as varchar)
            || ' (rekommendation högst 20 %) / opening equity '
            || cast(year as varchar) || ' is ' || percent_en(equity_share) || ' of the ' || cast(year - 1 as varchar)
            || ' contributions (recommended at most 20 %)'
    end as detail,
    1 as affected_rows,
    cast(null as varchar) as finding_key
from above
