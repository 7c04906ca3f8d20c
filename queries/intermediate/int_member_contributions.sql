-- Intermediate: each member's contribution (medelstilldelning) per federation and year, positive.
-- Grain: one row per federation, year and member: stat, region or a kommun code (federation_id, year, medlem).
-- Built per federation: a federation's rows come from its own data alone.
select
    federation_id,
    year,
    kategori,
    coalesce(
        medlem,
        case kategori
            when 'bidrag_stat' then 'stat'
            when 'bidrag_region' then 'region'
            else 'kommun'
        end
    ) as medlem,
    cast(-sum(amount) as decimal(18, 2)) as belopp
from int_account_rows_mapped
where source = 'ledger' and kategori in ('bidrag_stat', 'bidrag_region', 'bidrag_kommun')
group by all
