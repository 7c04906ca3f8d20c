-- Assertion: a KPI's status is '', 'preliminar' or 'brist', and 'brist' exactly when findings are named.
select kpi_id, scope, scope_id, period, kon, dimension, status, findings
from kpi
where status not in ('', 'preliminar', 'brist') or (status = 'brist') <> (findings <> '')
