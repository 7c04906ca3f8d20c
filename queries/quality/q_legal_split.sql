-- Quality: contributions deviating more than 0.5 percentage points from the legal split
-- (state 1/2, region 1/4, municipalities 1/4) (warning). Not for a federation-year with ledger rows no
-- rule maps, or two rules map differently: its contributions are withheld then (quality_scope.csv), and
-- the warning would state their shares. Grain: one row per federation, year and member group
-- (federation_id, year, finding_key).
-- Built per federation: a federation's rows come from its own data alone.
with incompletely_mapped as (
    select distinct federation_id, year from int_account_rows_mapped where mapping_status <> 'mapped'
),
finance as (
    select f.*
    from int_finance_year as f
    anti join incompletely_mapped as m on m.federation_id = f.federation_id and m.year = f.year
    where f.medelstilldelning > 0
),
member_shares as (
    select
        federation_id,
        year,
        'stat' as member_group,
        share(bidrag_stat, medelstilldelning) as actual,
        0.5 as legal
    from finance
    union all
    select federation_id, year, 'region', share(bidrag_region, medelstilldelning), 0.25 from finance
    union all
    select federation_id, year, 'kommuner', share(bidrag_kommun, medelstilldelning), 0.25 from finance
)
select
    federation_id,
    year,
    cast(null as varchar) as period,
    'legal_split_deviation' as rule_id,
    'warning' as severity,
    member_group || ': ' || cast(actual as varchar) || ' av medelstilldelningen, lagen anger ' || cast(legal as varchar)
        || ' / ' || member_group || ': ' || cast(actual as varchar) || ' of the contributions, the law says '
        || cast(legal as varchar) as detail,
    1 as affected_rows,
    member_group as finding_key
from member_shares
where abs(actual - legal) > 0.005
