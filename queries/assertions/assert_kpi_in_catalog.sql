-- Assertion: every KPI computed is described in the catalog.
select distinct kpi_id from kpi where unit is null
