-- Quality: a month's ledger export missing between the federation's first ledger export and its
-- latest month (error): the year's income and costs lack the month. Grain: one row per federation and missing month
-- (federation_id, year, finding_key).
-- Built per federation: a federation's rows come from its own data alone.
select
    federation_id,
    cast(substr(period, 1, 4) as integer) as year,
    period,
    'missing_ledger_month' as rule_id,
    'error' as severity,
    'Huvudboksexport saknas för ' || period || ' / the ledger export for ' || period || ' is missing' as detail,
    0 as affected_rows,
    period as finding_key
from int_expected_exports
where kind = 'ledger' and not delivered
