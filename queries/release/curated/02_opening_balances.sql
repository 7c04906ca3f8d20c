-- opening_balances.parquet of the controller's curated release (and a view of finsam.duckdb), sorted on its grain.
select * from src_opening_balances order by federation, period, year, account, source_line
