-- Quality: rows where two equally specific mapping rules disagree (error).
-- Grain: one row per federation, year and account (federation_id, year, finding_key).
-- Built per federation: a federation's rows come from its own data alone.
select
    federation_id,
    year,
    cast(null as varchar) as period,
    'mapping_conflict' as rule_id,
    'error' as severity,
    'Konto ' || account || ' matchar motstridiga regler lika specifikt / account ' || account
        || ' matches equally specific rules that disagree' as detail,
    count(*) as affected_rows,
    account as finding_key
from int_account_rows_mapped
where mapping_status = 'conflict'
group by federation_id, year, account
