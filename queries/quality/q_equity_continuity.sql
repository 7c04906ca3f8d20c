-- Quality: a year's opening equity differs from the previous year's closing equity, when both are
-- known and the previous year is complete (through December) (error). Grain: one row per federation and year.
select
    this_year.federation_id,
    this_year.year,
    cast(null as varchar) as period,
    'equity_continuity' as rule_id,
    'error' as severity,
    'Ingående eget kapital ' || cast(this_year.eget_kapital_ib as varchar) || ' ≠ utgående ' || cast(previous_year.eget_kapital_ub as varchar)
        || ' året innan / opening equity differs from the previous year''s closing equity' as detail,
    1 as affected_rows
from int_finance_year as this_year
join int_finance_year as previous_year
    on previous_year.federation_id = this_year.federation_id and previous_year.year = this_year.year - 1
where previous_year.through_period = cast(previous_year.year as varchar) || '-12'
    and this_year.eget_kapital_ib is not null
    and previous_year.eget_kapital_ub is not null
    and this_year.eget_kapital_ib <> previous_year.eget_kapital_ub
