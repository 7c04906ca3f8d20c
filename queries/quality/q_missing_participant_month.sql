-- Quality: a month's participant export missing between the federation's first participant export and
-- its latest month (error). It names the registrations whose exit may lie in the missing month: ongoing
-- in the last export before it, and not listed in the first export after it (or there is none yet),
-- so their end was never seen and they still count as ongoing. Grain: one row per federation and missing month
-- (federation_id, year, finding_key).
-- Built per federation: a federation's rows come from its own data alone.
with exports as (
    select federation_id, period, delivered from int_expected_exports where kind = 'participants'
),
gaps as (
    select
        m.federation_id,
        m.period,
        max(d.period) filter (where d.period < m.period) as export_before,
        min(d.period) filter (where d.period > m.period) as export_after
    from exports as m
    join exports as d on d.federation_id = m.federation_id and d.delivered
    where not m.delivered
    group by m.federation_id, m.period
),
-- The listings of the exports on either side of a gap, alone: most federations have no gap, and the joins below
-- then read no listing at all (they read every one of every federation before, 0.4 s of a national full build).
gap_listings as (
    select l.federation_id, l.period, l.registrering_id, l.slutdatum
    from stg_registration_listings as l
    semi join gaps as g
        on g.federation_id = l.federation_id and (l.period = g.export_before or l.period = g.export_after)
),
possibly_ended as (
    select g.federation_id, g.period, b.registrering_id
    from gaps as g
    join gap_listings as b
        on b.federation_id = g.federation_id and b.period = g.export_before and b.slutdatum is null
    anti join gap_listings as a
        on a.federation_id = g.federation_id and a.period = g.export_after and a.registrering_id = b.registrering_id
),
named as (
    select federation_id, period, count(*) as registrations, list_sort(list(registrering_id)) as ids
    from possibly_ended
    group by federation_id, period
)
select
    g.federation_id,
    cast(substr(g.period, 1, 4) as integer) as year,
    g.period,
    'missing_participant_month' as rule_id,
    'error' as severity,
    -- A template: {antal} is affected_rows and {id} the registrations named (a list as long as the count: member
    -- files show '..' for both where the count is protected).
    cast(null as varchar) as detail,
    'Deltagarexport saknas för ' || g.period
        || case
            when n.registrations is not null
                then '; {antal} registreringar kan ha avslutats då utan att det syns: {id}'
            else ''
        end
        || ' / the participant export for ' || g.period || ' is missing'
        || case
            when n.registrations is not null
                then '; {antal} registrations may have ended in it unseen: {id}'
            else ''
        end as detail_template,
    array_to_string(n.ids[1:20], ', ') || case when n.registrations > 20 then ' …' else '' end as ids,
    coalesce(n.registrations, 0) as affected_rows,
    g.period as finding_key
from gaps as g
left join named as n on n.federation_id = g.federation_id and n.period = g.period
