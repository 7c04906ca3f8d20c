-- Quality: registrations that by their dates were active in a month whose participant export does
-- not list them: registered late, or missing from that export (warning).
-- Grain: one row per federation and export month (federation_id, year, finding_key).
-- Built per federation: a federation's rows come from its own data alone.
with export_months as (
    select distinct federation_id, period from stg_registration_listings
),
export_range as (
    select
        federation_id,
        cast(min(period) || '-01' as date) as first_month,
        cast(max(period) || '-01' as date) as last_month
    from export_months
    group by federation_id
),
registration_spans as (
    select
        r.federation_id,
        r.registrering_id,
        greatest(date_trunc('month', r.startdatum), x.first_month) as first_active,
        least(date_trunc('month', coalesce(r.slutdatum, x.last_month)), x.last_month) as last_active
    from stg_registrations as r
    join export_range as x on x.federation_id = r.federation_id
),
listed_counts as (
    select federation_id, registrering_id, count(*) as listed_months
    from stg_registration_listings
    group by federation_id, registrering_id
),
-- Only a registration listed in fewer months than it was active can be missing from an export.
suspects as (
    select s.*
    from registration_spans as s
    left join listed_counts as c on c.federation_id = s.federation_id and c.registrering_id = s.registrering_id
    where s.first_active <= s.last_active
        and date_diff('month', s.first_active, s.last_active) + 1 > coalesce(c.listed_months, 0)
),
active_months as (
    select s.federation_id, s.registrering_id, strftime(month, '%Y-%m') as period
    from suspects as s,
    unnest(generate_series(s.first_active, s.last_active, interval 1 month)) as months(month)
),
active_by_dates as (
    select a.federation_id, a.period, a.registrering_id
    from active_months as a
    semi join export_months as m on m.federation_id = a.federation_id and m.period = a.period
)
select
    a.federation_id,
    cast(substr(a.period, 1, 4) as integer) as year,
    a.period,
    'registration_missing_from_export' as rule_id,
    'warning' as severity,
    -- The text is a template: {antal} is affected_rows, so member files can show '..' where the count is protected.
    cast(null as varchar) as detail,
    '{antal} registreringar var aktiva enligt sina datum men saknas i månadens export / '
        || '{antal} registrations were active by their dates but are missing '
        || 'from the month''s export' as detail_template,
    count(*) as affected_rows,
    a.period as finding_key
from active_by_dates as a
anti join (
        -- The suspects' listings alone: a hash table of every listing cost more than the rest of the rule.
        select l.federation_id, l.period, l.registrering_id
        from stg_registration_listings as l
        semi join suspects as s on s.federation_id = l.federation_id and s.registrering_id = l.registrering_id
    ) as l
    on l.federation_id = a.federation_id and l.period = a.period and l.registrering_id = a.registrering_id
group by a.federation_id, a.period
