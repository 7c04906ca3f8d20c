-- Staging: opening balances per federation and fiscal year; the latest month's file that carries
-- balances for a year wins. Grain: one row per federation, year and account (federation_id, year, account).
-- Built per federation: a federation's rows come from its own data alone.
with balances_by_recency as (
    select
        federation as federation_id,
        period,
        year,
        account,
        amount,
        source_sha256,
        source_line,
        dense_rank() over (partition by federation, year order by period desc) as recency
    from src_opening_balances
)
select
    federation_id,
    year,
    account,
    cast(account as bigint) as account_number,
    amount,
    period as source_period,
    source_sha256,
    source_line
from balances_by_recency
where recency = 1
