-- Mart: the target group per level and year: 5 % of the population aged 16–64 in the member
-- municipalities (the estimate of the law's preparatory work), of the federation-years whose
-- participant figures the level's totals include. Grain: one row per scope, scope_id and year (scope, scope_id, year).
with federation_population as (
    select f.federation_id, p.ar as year, sum(p.befolkning_16_64) as befolkning_16_64
    from stg_federations as f, unnest(f.medlemskommuner) as m(kommun)
    join ref_population as p on p.kommun = m.kommun
    group by f.federation_id, p.ar
)
select
    s.scope,
    s.scope_id,
    p.year,
    sum(p.befolkning_16_64) as befolkning_16_64,
    sum(p.befolkning_16_64) * 0.05 as malgrupp
from federation_population as p
join dim_scope_members as s
    on s.federation_id = p.federation_id and s.year = p.year and s.area = 'deltagare' and s.included
group by s.scope, s.scope_id, p.year
