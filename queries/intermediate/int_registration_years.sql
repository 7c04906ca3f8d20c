-- Intermediate: registrations in individual and structural interventions as episodes per year (year
-- to date), with the flags the participant KPIs count. felregistrering is left out everywhere.
-- Grain: one row per federation, year and registration active in that year (federation_id, year, registrering_id).
-- Built per federation: a federation's rows come from its own data alone.
with public_support as (
    select
        unnest([
            'forsorjningsstod',
            'aktivitetsstod',
            'sjukpenning',
            'aktivitetsersattning',
            'sjukersattning',
            'a_kassa',
            'studiemedel'
        ]) as code
),
-- What a registration gives every year it is active in, computed once per registration.
registrations as (
    select
        *,
        -- The person (stg_registrations' person_key) as a 128-bit number, from the key's MD5, which the marts count
        -- faster than the text key; two persons would have to share one for a count to change: less than 1 in 10^26
        -- among a million persons.
        md5_number(person_key) as person_id,
        age_group(alder_start, anonym) as age_group,
        case
            when forsorjning_fore is null then null
            else not list_has_any(string_split(forsorjning_fore, '|'), (select list(code) from public_support))
        end as no_public_support_before,
        case
            when forsorjning_efter is null then null
            else not list_has_any(string_split(forsorjning_efter, '|'), (select list(code) from public_support))
        end as no_public_support_after
    from stg_registrations
    where coalesce(avslutsorsak, '') <> 'felregistrering'
)
select
    y.federation_id,
    y.year,
    y.through_period,
    r.registrering_id,
    r.person_id,
    r.anonym,
    r.kon,
    r.insats_id,
    r.insats_typ,
    r.startdatum,
    r.alder_start,
    r.age_group,
    r.startdatum >= make_date(y.year, 1, 1) as is_new,
    r.slutdatum is not null and r.slutdatum between make_date(y.year, 1, 1) and y.through_date as is_ended,
    r.startdatum < make_date(y.year, 1, 1) as ongoing_at_start,
    r.slutdatum is null or r.slutdatum > y.through_date as ongoing_at_end,
    case when r.slutdatum is null or r.slutdatum > y.through_date then null
         when r.avslutsorsak in ('arbete', 'arbete_med_stod', 'studier') then 'arbete_studier'
         when r.avslutsorsak in ('arbetssokande', 'ordinarie_insats') then 'stegforflyttning'
         else 'ovrigt' end as exit_group,
    case when r.slutdatum <= y.through_date then r.avslutsorsak end as avslutsorsak,
    case when r.slutdatum <= y.through_date then date_diff('day', r.startdatum, r.slutdatum) end as days_in_insats,
    r.no_public_support_before,
    -- Not for a registration that ended after the year's last month.
    case when not (r.slutdatum <= y.through_date) then null else r.no_public_support_after end
        as no_public_support_after
from registrations as r
join int_federation_years as y
    on y.federation_id = r.federation_id
    and r.startdatum <= y.through_date
    and (r.slutdatum is null or r.slutdatum >= make_date(y.year, 1, 1))
