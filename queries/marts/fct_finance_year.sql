-- Mart: money per level (federation, county, all) and year, year to date. A federation always has its
-- own row; a county's and all federations' totals leave out a federation-year whose finance an error
-- withholds (dim_scope_members): ekonomi for income and costs, eget_kapital for equity (with the
-- contributions of the same federations, for the equity share; the year is complete for equity when every federation
-- it covers has delivered its December ledger). Grain: one row per scope, scope_id and year (scope, scope_id, year).
with members as (
    select
        f.*,
        e.scope,
        e.scope_id,
        e.included as in_finance,
        q.included as in_equity
    from int_finance_year as f
    join dim_scope_members as e on e.federation_id = f.federation_id and e.year = f.year and e.area = 'ekonomi'
    join dim_scope_members as q
        on q.federation_id = f.federation_id
        and q.year = f.year
        and q.area = 'eget_kapital'
        and q.scope = e.scope
        and q.scope_id = e.scope_id
)
select
    scope,
    scope_id,
    year,
    max(through_period) as through_period,
    cast(sum(bidrag_stat) filter (where in_finance) as decimal(18, 2)) as bidrag_stat,
    cast(sum(bidrag_region) filter (where in_finance) as decimal(18, 2)) as bidrag_region,
    cast(sum(bidrag_kommun) filter (where in_finance) as decimal(18, 2)) as bidrag_kommun,
    cast(sum(medelstilldelning) filter (where in_finance) as decimal(18, 2)) as medelstilldelning,
    cast(sum(extra_medel) filter (where in_finance) as decimal(18, 2)) as extra_medel,
    cast(sum(kostnad_individ) filter (where in_finance) as decimal(18, 2)) as kostnad_individ,
    cast(sum(kostnad_struktur) filter (where in_finance) as decimal(18, 2)) as kostnad_struktur,
    cast(sum(kostnad_administration) filter (where in_finance) as decimal(18, 2)) as kostnad_administration,
    cast(sum(kostnad_total) filter (where in_finance) as decimal(18, 2)) as kostnad_total,
    cast(sum(resultat) filter (where in_finance) as decimal(18, 2)) as resultat,
    cast(sum(eget_kapital_ub) filter (where in_equity) as decimal(18, 2)) as eget_kapital_ub,
    cast(sum(medelstilldelning) filter (where in_equity) as decimal(18, 2)) as medelstilldelning_eget_kapital,
    coalesce(bool_and(ledger_complete) filter (where in_equity), false) as equity_year_complete
from members
group by scope, scope_id, year
