-- Quality: equity at period end above the national recommendation of 20 % of the year's
-- contributions (warning). Not for a federation-year with ledger rows no rule maps, or two rules map
-- differently: its equity and contributions are withheld then (quality_scope.csv), and the warning would
-- state them. Grain: one row per federation and year.
with incompletely_mapped as (
    select distinct federation_id, year from int_account_rows_mapped where mapping_status <> 'mapped'
)
select
    f.federation_id,
    f.year,
    f.through_period as period,
    'equity_above_recommendation' as rule_id,
    'warning' as severity,
    'Eget kapital ' || cast(share(f.eget_kapital_ub, f.medelstilldelning) as varchar) || ' av medelstilldelningen (rekommendation högst 0.20) / equity '
        || cast(share(f.eget_kapital_ub, f.medelstilldelning) as varchar) || ' of the contributions (recommended at most 0.20)' as detail,
    1 as affected_rows,
    cast(null as varchar) as finding_key
from int_finance_year as f
anti join incompletely_mapped as m on m.federation_id = f.federation_id and m.year = f.year
where f.medelstilldelning > 0 and share(f.eget_kapital_ub, f.medelstilldelning) > 0.20
