-- ledger.parquet of the controller's curated release (and a view of finsam.duckdb), sorted on its grain.
select * from src_ledger order by federation, period, source_sha256, source_line
