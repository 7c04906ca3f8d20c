-- Intermediate: every ledger row and opening balance with the account-mapping rule that applies.
-- The most specific rule wins: a federation's own rule over '*', a rule with an object pattern over
-- one without, a narrower account range over a wider one. No rule: 'unmapped'; two equally specific
-- rules that disagree: 'conflict'. No row is ever dropped.
-- Rules are resolved once per distinct federation, account and object list, then joined back.
-- Grain: one row per ledger transaction or opening balance (source, federation_id, period, source_line).
-- Built per federation: a federation's rows come from its own data alone.
with account_rows as (
    select
        'ledger' as source,
        federation_id,
        period,
        year,
        source_line,
        account,
        account_number,
        cost_objects,
        amount
    from stg_ledger
    union all
    select
        'opening_balance' as source,
        federation_id,
        source_period as period,
        year,
        source_line,
        account,
        account_number,
        '' as cost_objects,
        amount
    from stg_opening_balances
),
account_keys as (
    select distinct federation_id, account_number, cost_objects from account_rows
),
matching_rules as (
    select
        k.federation_id, k.account_number, k.cost_objects,
        m.kategori, m.medlem,
        rank() over (
            partition by k.federation_id, k.account_number, k.cost_objects
            order by m.is_federation_rule desc, m.has_object desc, m.range_width asc
        ) as precedence
    from account_keys as k
    join stg_account_mapping as m
        on (m.federation_id = k.federation_id or m.federation_id = '*')
        and k.account_number between m.konto_fran and m.konto_till
        and (not m.has_object or list_has_all(string_split(k.cost_objects, '|'), string_split(m.objekt, '|')))
),
winning_rules as (
    select
        federation_id, account_number, cost_objects,
        min(kategori) as kategori,
        min(medlem) as medlem,
        count(distinct coalesce(kategori, '') || '/' || coalesce(medlem, '')) as outcomes
    from matching_rules
    where precedence = 1
    group by federation_id, account_number, cost_objects
)
select
    r.source,
    r.federation_id,
    r.period,
    r.year,
    r.source_line,
    r.account,
    r.cost_objects,
    r.amount,
    case when w.outcomes = 1 then w.kategori end as kategori,
    case when w.outcomes = 1 then w.medlem end as medlem,
    case when w.outcomes is null then 'unmapped' when w.outcomes > 1 then 'conflict' else 'mapped' end as mapping_status
from account_rows as r
left join winning_rules as w
    on w.federation_id = r.federation_id and w.account_number = r.account_number and w.cost_objects = r.cost_objects
