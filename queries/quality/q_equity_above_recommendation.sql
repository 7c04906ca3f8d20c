-- Quality: equity at period end above the national recommendation of 20 % of the year's
-- contributions (warning). Grain: one row per federation and year.
select
    federation_id,
    year,
    through_period as period,
    'equity_above_recommendation' as rule_id,
    'warning' as severity,
    'Eget kapital ' || cast(share(eget_kapital_ub, medelstilldelning) as varchar) || ' av medelstilldelningen (rekommendation högst 0.20) / equity '
        || cast(share(eget_kapital_ub, medelstilldelning) as varchar) || ' of the contributions (recommended at most 0.20)' as detail,
    1 as affected_rows,
    cast(null as varchar) as finding_key
from int_finance_year
where medelstilldelning > 0 and share(eget_kapital_ub, medelstilldelning) > 0.20
