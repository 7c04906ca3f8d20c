-- Quality: ledger rows or opening balances whose account no mapping rule covers (error).
-- Grain: one row per federation, year and account (federation_id, year, finding_key).
-- Built per federation: a federation's rows come from its own data alone.
select
    federation_id,
    year,
    cast(null as varchar) as period,
    'unmapped_account' as rule_id,
    'error' as severity,
    'Konto ' || account || ' saknar regel i account_mapping.csv / account ' || account
        || ' has no rule in account_mapping.csv' as detail,
    count(*) as affected_rows,
    account as finding_key
from int_account_rows_mapped
where mapping_status = 'unmapped'
group by federation_id, year, account
