-- Quality: registrations that by their dates were active in a month whose participant export does
-- not list them: registered late, or missing from that export (warning).
-- Grain: one row per federation and export month.
with export_months as (
    select distinct federation_id, period from stg_registration_listings
),
active_by_dates as (
    select m.federation_id, m.period, r.registrering_id
    from export_months as m
    join stg_registrations as r
        on r.federation_id = m.federation_id
        and r.startdatum <= month_end(m.period)
        and (r.slutdatum is null or r.slutdatum >= cast(m.period || '-01' as date))
)
select
    a.federation_id,
    cast(substr(a.period, 1, 4) as integer) as year,
    a.period,
    'registration_missing_from_export' as rule_id,
    'warning' as severity,
    cast(count(*) as varchar) || ' registreringar var aktiva enligt sina datum men saknas i månadens export / '
        || cast(count(*) as varchar) || ' registrations were active by their dates but are missing from the month''s export' as detail,
    count(*) as affected_rows
from active_by_dates as a
anti join stg_registration_listings as l
    on l.federation_id = a.federation_id and l.period = a.period and l.registrering_id = a.registrering_id
group by a.federation_id, a.period
