-- Mart: the target group per federation and year: 5 % of the population aged 16–64 in the member
-- municipalities (the estimate of the law's preparatory work). Grain: one row per scope, scope_id and year.
with federation_population as (
    select f.federation_id, p.ar as year, sum(p.befolkning_16_64) as befolkning_16_64
    from stg_federations as f, unnest(f.medlemskommuner) as m(kommun)
    join ref_population as p on p.kommun = m.kommun
    group by f.federation_id, p.ar
)
select s.scope, s.scope_id, p.year, sum(p.befolkning_16_64) as befolkning_16_64, sum(p.befolkning_16_64) * 0.05 as malgrupp
from federation_population as p
join dim_federation_years as y on y.federation_id = p.federation_id and y.year = p.year and not y.has_errors
join int_scopes as s on s.federation_id = p.federation_id
group by s.scope, s.scope_id, p.year
