-- Quality: contributions deviating more than 0.5 percentage points from the legal split
-- (state 1/2, region 1/4, municipalities 1/4) (warning). Grain: one row per federation, year and member group.
with member_shares as (
    select federation_id, year, 'stat' as member_group, share(bidrag_stat, medelstilldelning) as actual, 0.5 as legal from int_finance_year where medelstilldelning > 0
    union all
    select federation_id, year, 'region', share(bidrag_region, medelstilldelning), 0.25 from int_finance_year where medelstilldelning > 0
    union all
    select federation_id, year, 'kommuner', share(bidrag_kommun, medelstilldelning), 0.25 from int_finance_year where medelstilldelning > 0
)
select
    federation_id,
    year,
    cast(null as varchar) as period,
    'legal_split_deviation' as rule_id,
    'warning' as severity,
    member_group || ': ' || cast(actual as varchar) || ' av medelstilldelningen, lagen anger ' || cast(legal as varchar)
        || ' / ' || member_group || ': ' || cast(actual as varchar) || ' of the contributions, the law says ' || cast(legal as varchar) as detail,
    1 as affected_rows,
    member_group as finding_key
from member_shares
where abs(actual - legal) > 0.005
