-- Quality: registrations in individual interventions active in the year whose participant was under 16
-- or over 64 at the start: outside the target group (16–64), shown as groups of their own (warning).
-- Grain: one row per federation, year and age group outside the target group (federation_id, year, finding_key).
-- Built per federation: a federation's rows come from its own data alone.
select
    federation_id,
    year,
    cast(null as varchar) as period,
    'age_outside_target_group' as rule_id,
    'warning' as severity,
    -- A template: {antal} is affected_rows (member files show '..' where the count is protected).
    cast(null as varchar) as detail,
    '{antal} registreringar med ålder ' || case age_group when 'under_16' then 'under 16' else 'över 64' end
        || ' år vid start (utanför målgruppen 16–64) / {antal} registrations of participants '
        || case age_group when 'under_16' then 'under 16' else 'over 64' end
        || ' at the start (outside the target group 16–64)' as detail_template,
    count(*) as affected_rows,
    age_group as finding_key
from int_registration_years
where insats_typ = 'individ' and age_group in ('under_16', '65+')
group by federation_id, year, age_group
