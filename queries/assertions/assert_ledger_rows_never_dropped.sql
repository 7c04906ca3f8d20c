-- Assertion: mapping keeps every ledger row and opening balance (returns the counts when it does not).
-- Checked per federation: the models it counts are built per federation, and it is run on the rows a build computes.
select staged, mapped
from (
    select
        (select count(*) from stg_ledger) + (select count(*) from stg_opening_balances) as staged,
        (select count(*) from int_account_rows_mapped) as mapped
)
where staged <> mapped
