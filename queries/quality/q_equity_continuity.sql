-- Quality: a year's opening equity differs from the previous year's closing equity, when both are
-- known and the previous year is complete (through December) (error). Either year's equity may be the
-- wrong one, so the finding is given for both: the opening side in the year, the closing side in the
-- year before. Grain: one row per federation, year and side (federation_id, year, finding_key).
-- Built per federation: a federation's rows come from its own data alone.
with breaks as (
    select
        this_year.federation_id,
        this_year.year,
        this_year.eget_kapital_ib as opening,
        previous_year.eget_kapital_ub as closing
    from int_finance_year as this_year
    join int_finance_year as previous_year
        on previous_year.federation_id = this_year.federation_id and previous_year.year = this_year.year - 1
    where previous_year.through_period = cast(previous_year.year as varchar) || '-12'
        and this_year.eget_kapital_ib is not null
        and previous_year.eget_kapital_ub is not null
        and this_year.eget_kapital_ib <> previous_year.eget_kapital_ub
),
sides as (
    select federation_id, year, 'ingaende' as side, opening, closing, year as opening_year from breaks
    union all
    select federation_id, year - 1, 'utgaende', opening, closing, year from breaks
)
select
    federation_id,
    year,
    cast(null as varchar) as period,
    'equity_continuity' as rule_id,
    'error' as severity,
    'Ingående eget kapital ' || cast(opening_year as varchar) || ' (' || cast(opening as varchar)
        || ' kr) skiljer sig från utgående eget kapital ' || cast(opening_year - 1 as varchar)
        || ' (' || cast(closing as varchar) || ' kr) / opening equity ' || cast(opening_year as varchar)
        || ' (' || cast(opening as varchar) || ') differs from closing equity ' || cast(opening_year - 1 as varchar)
        || ' (' || cast(closing as varchar) || ')' as detail,
    1 as affected_rows,
    side as finding_key
from sides
