-- Staging: curated ledger transactions, typed and renamed.
-- Grain: one row per transaction (federation_id, period, source_line).
-- Built per federation: a federation's rows come from its own data alone.
select
    federation as federation_id,
    period,
    cast(substr(period, 1, 4) as integer) as year,
    voucher_series,
    voucher_number,
    voucher_date,
    account,
    cast(account as bigint) as account_number,
    amount,
    coalesce(cost_objects, '') as cost_objects,
    text,
    source_sha256,
    source_line
from src_ledger
