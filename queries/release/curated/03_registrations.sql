-- registrations.parquet of the controller's curated release (and a view of finsam.duckdb), sorted on its grain.
select * from src_registrations order by federation, period, registrering_id, source_line
