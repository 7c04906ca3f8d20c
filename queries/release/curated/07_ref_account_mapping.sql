-- ref_account_mapping.parquet of the controller's curated release (and a view of finsam.duckdb), sorted on its grain.
select * from ref_account_mapping order by all
