-- Mart: the federation-years each level's figures of an area are made from. A federation's own figures
-- always include it (its values are withheld in kpi when an error says so); a county's and all
-- federations' totals leave out a federation-year whose area an error withholds (included = false),
-- and say so through their status. Grain: one row per federation, year, area and level
-- (federation_id, year, area, scope, scope_id).
select
    d.federation_id,
    d.year,
    d.area,
    s.scope,
    s.scope_id,
    d.through_period,
    s.scope = 'forbund' or not d.withheld as included
from dim_federation_year_areas as d
join int_scopes as s on s.federation_id = d.federation_id
