-- Assertion: mapping keeps every ledger row and opening balance (returns the counts when it does not).
select staged, mapped
from (
    select
        (select count(*) from stg_ledger) + (select count(*) from stg_opening_balances) as staged,
        (select count(*) from int_account_rows_mapped) as mapped
)
where staged <> mapped
