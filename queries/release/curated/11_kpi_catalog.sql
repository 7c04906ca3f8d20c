-- kpi_catalog.parquet of the controller's curated release (and a view of finsam.duckdb), sorted on its grain.
select * from kpi_catalog order by kpi_id
