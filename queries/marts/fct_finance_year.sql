-- Mart: money per level (federation, county, all) and year, year to date, for federation-years
-- without errors. Grain: one row per scope, scope_id and year.
select
    s.scope,
    s.scope_id,
    f.year,
    max(f.through_period) as through_period,
    cast(sum(f.bidrag_stat) as decimal(18, 2)) as bidrag_stat,
    cast(sum(f.bidrag_region) as decimal(18, 2)) as bidrag_region,
    cast(sum(f.bidrag_kommun) as decimal(18, 2)) as bidrag_kommun,
    cast(sum(f.medelstilldelning) as decimal(18, 2)) as medelstilldelning,
    cast(sum(f.extra_medel) as decimal(18, 2)) as extra_medel,
    cast(sum(f.kostnad_individ) as decimal(18, 2)) as kostnad_individ,
    cast(sum(f.kostnad_struktur) as decimal(18, 2)) as kostnad_struktur,
    cast(sum(f.kostnad_administration) as decimal(18, 2)) as kostnad_administration,
    cast(sum(f.kostnad_total) as decimal(18, 2)) as kostnad_total,
    cast(sum(f.resultat) as decimal(18, 2)) as resultat,
    cast(sum(f.eget_kapital_ub) as decimal(18, 2)) as eget_kapital_ub
from int_finance_year as f
join dim_federation_years as y on y.federation_id = f.federation_id and y.year = f.year and not y.has_errors
join int_scopes as s on s.federation_id = f.federation_id
group by s.scope, s.scope_id, f.year
