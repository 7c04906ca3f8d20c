-- volumes.parquet of the controller's curated release (and a view of finsam.duckdb), sorted on its grain.
select * from src_volumes order by federation, period, insats_id, manad, kon, source_line
