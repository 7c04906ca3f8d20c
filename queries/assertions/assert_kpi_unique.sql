-- Assertion: one value per KPI, level, period, gender and dimension.
select kpi_id, scope, scope_id, period, kon, dimension, count(*) as values
from kpi
group by all
having count(*) > 1
