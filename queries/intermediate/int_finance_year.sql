-- Intermediate: money per federation and year (year to date), income positive, costs positive; whether the year's
-- ledger is complete (its December delivered). Grain: one row per federation and year (federation_id, year).
-- Built per federation: a federation's rows come from its own data alone.
with ledger_by_category as (
    select
        federation_id,
        year,
        sum(case when kategori = 'bidrag_stat' then -amount else 0 end) as bidrag_stat,
        sum(case when kategori = 'bidrag_region' then -amount else 0 end) as bidrag_region,
        sum(case when kategori = 'bidrag_kommun' then -amount else 0 end) as bidrag_kommun,
        sum(case when kategori = 'extra_medel' then -amount else 0 end) as extra_medel,
        sum(case when kategori = 'ovriga_intakter' then -amount else 0 end) as ovriga_intakter,
        sum(case when kategori = 'finansiella_intakter' then -amount else 0 end) as finansiella_intakter,
        sum(case when kategori = 'individinriktade_insatser' then amount else 0 end) as kostnad_individ,
        sum(case when kategori = 'strukturovergripande_insatser' then amount else 0 end) as kostnad_struktur,
        sum(case when kategori = 'administration' then amount else 0 end) as kostnad_administration,
        sum(case when kategori = 'finansiella_kostnader' then amount else 0 end) as finansiella_kostnader
    from int_account_rows_mapped
    where source = 'ledger'
    group by federation_id, year
),
-- Opening equity: the equity accounts' balances, plus what the balances lack of summing to 0.00. Until the previous
-- year's result is booked to equity (months into the year) the balances sum to minus that result; the difference is
-- that unbooked result and counts as equity until an export books it (ingestion warns: opening_balance_unbalanced).
-- Null when the year has no balance on an equity account and none missing.
opening_equity as (
    select
        federation_id,
        year,
        case when count(*) filter (where kategori = 'eget_kapital') > 0 or sum(amount) <> 0
            then coalesce(-sum(amount) filter (where kategori = 'eget_kapital'), 0) + sum(amount) end as eget_kapital_ib
    from int_account_rows_mapped
    where source = 'opening_balance'
    group by federation_id, year
),
ledger_decembers as (
    select distinct federation as federation_id, cast(substr(period, 1, 4) as integer) as year
    from src_partitions
    where dataset = 'ledger' and substr(period, 6, 2) = '12'
)
select
    y.federation_id,
    y.year,
    y.through_period,
    d.year is not null as ledger_complete,
    coalesce(l.bidrag_stat, 0) as bidrag_stat,
    coalesce(l.bidrag_region, 0) as bidrag_region,
    coalesce(l.bidrag_kommun, 0) as bidrag_kommun,
    coalesce(l.bidrag_stat + l.bidrag_region + l.bidrag_kommun, 0) as medelstilldelning,
    coalesce(l.extra_medel, 0) as extra_medel,
    coalesce(l.ovriga_intakter, 0) as ovriga_intakter,
    coalesce(l.finansiella_intakter, 0) as finansiella_intakter,
    coalesce(l.kostnad_individ, 0) as kostnad_individ,
    coalesce(l.kostnad_struktur, 0) as kostnad_struktur,
    coalesce(l.kostnad_administration, 0) as kostnad_administration,
    coalesce(l.kostnad_individ + l.kostnad_struktur + l.kostnad_administration, 0) as kostnad_total,
    coalesce(l.finansiella_kostnader, 0) as finansiella_kostnader,
    coalesce(
        l.bidrag_stat + l.bidrag_region + l.bidrag_kommun + l.extra_medel + l.ovriga_intakter + l.finansiella_intakter
        - l.kostnad_individ - l.kostnad_struktur - l.kostnad_administration - l.finansiella_kostnader,
        0
    ) as resultat,
    e.eget_kapital_ib,
    e.eget_kapital_ib + coalesce(
        l.bidrag_stat + l.bidrag_region + l.bidrag_kommun + l.extra_medel + l.ovriga_intakter + l.finansiella_intakter
        - l.kostnad_individ - l.kostnad_struktur - l.kostnad_administration - l.finansiella_kostnader,
        0
    ) as eget_kapital_ub
from int_federation_years as y
left join ledger_by_category as l on l.federation_id = y.federation_id and l.year = y.year
left join opening_equity as e on e.federation_id = y.federation_id and e.year = y.year
left join ledger_decembers as d on d.federation_id = y.federation_id and d.year = y.year
