-- Assertion: the three cost shares add up to 1 (to rounding) wherever there are costs.
select scope, scope_id, period, sum(value) as total
from kpi
where kpi_id = 'kostnad_andel' and value is not null
group by all
having abs(sum(value) - 1) > 0.000002
