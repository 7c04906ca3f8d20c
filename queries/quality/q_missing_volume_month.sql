-- Quality: a month's volume export missing between the federation's first and latest volume export
-- (error): the year's volume counts lack the month. Grain: one row per federation and missing month
-- (federation_id, year, finding_key).
-- Built per federation: a federation's rows come from its own data alone.
select
    federation_id,
    cast(substr(period, 1, 4) as integer) as year,
    period,
    'missing_volume_month' as rule_id,
    'error' as severity,
    'Export av volymregistreringar saknas för ' || period
        || ' / the volume export for ' || period || ' is missing' as detail,
    0 as affected_rows,
    period as finding_key
from int_expected_exports
where kind = 'volumes' and not delivered
