-- ref_budget.parquet of the controller's curated release (and a view of finsam.duckdb), sorted on its grain.
select * from ref_budget order by all
