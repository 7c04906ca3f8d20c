-- places.parquet of the controller's curated release (and a view of finsam.duckdb), sorted on its grain.
select * from places order by scope, scope_id, federation_id
