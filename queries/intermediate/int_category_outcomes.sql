-- Intermediate: the ledger's outcome per federation, year (to date) and category of the account mapping, with the sign
-- of a budget (income positive, costs positive), for budget against outcome. Grain: one row per federation, year and
-- category (federation_id, year, kategori).
-- Built per federation: a federation's rows come from its own data alone.
select
    federation_id,
    year,
    kategori,
    cast(sum(
        case
            when kategori like 'bidrag%'
                or kategori in ('extra_medel', 'ovriga_intakter', 'finansiella_intakter')
                then -amount
            else amount
        end
    ) as decimal(18, 2)) as outcome
from int_account_rows_mapped
where source = 'ledger'
group by federation_id, year, kategori
