-- Mart: the levels whose participant figures include each federation-year (all of them unless an error withholds its
-- participant figures: dim_scope_members, deltagare), each level also as a number within the year (scope_key, so a
-- level is its year and number), by which the participant marts group persons: one integer instead of two texts halves
-- the time of their largest steps (every registration at each of its levels).
-- Grain: one row per federation, year and level (federation_id, year, scope, scope_id).
select
    federation_id,
    year,
    scope,
    scope_id,
    -- Numbered within the year: a year's numbers, which the marts built per year read, depend on its levels alone.
    dense_rank() over (partition by year order by scope, scope_id) as scope_key
from dim_scope_members
where area = 'deltagare' and included
