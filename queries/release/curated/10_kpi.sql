-- kpi.parquet of the controller's curated release (and a view of finsam.duckdb), sorted on its grain.
select * from kpi order by kpi_id, scope, scope_id, period, kon, dimension
