-- Shared macros. Ratios are computed exactly in integer arithmetic (half away from zero),
-- so a share or an amount per participant never drifts with floating point.

-- n / d in units of 1/unit, rounded half away from zero; null when d is 0 or missing.
create or replace macro exact_div(n, d, unit) as
    case when n is null or d is null or d = 0 then null
    else sign(n) * sign(d) * (
        (2 * abs(cast(round(n * 100) as hugeint)) * unit + abs(cast(round(d * 100) as hugeint)))
        // (2 * abs(cast(round(d * 100) as hugeint))))
    end;

-- A share (0.123456): six decimals.
create or replace macro share(n, d) as
    cast(cast(exact_div(n, d, 1000000) as decimal(38, 0)) * 0.000001 as decimal(18, 6));

-- An amount per unit (kronor per participant): two decimals.
create or replace macro per(n, d) as
    cast(cast(exact_div(n, d, 100) as decimal(38, 0)) * 0.01 as decimal(18, 2));

-- Age groups of the national follow-up (16–29 is a priority group), by the exact age at the start.
-- Under 16 and over 64 are outside the target group and groups of their own; anonymous participants
-- have no age and are a group of their own; 'okand' is a registration curated before the age was kept.
create or replace macro age_group(age, anonym) as
    case when anonym then 'anonym' when age is null then 'okand' when age < 16 then 'under_16'
         when age <= 29 then '16-29' when age <= 44 then '30-44' when age <= 59 then '45-59'
         when age <= 64 then '60-64' else '65+' end;

-- The last day of a yyyy-MM month.
create or replace macro month_end(period) as last_day(cast(period || '-01' as date));

-- A share as a percentage with one decimal for a text, rounded half away from zero: 0.240451 gives '24,0 %' in
-- Swedish and '24.0 %' in English.
create or replace macro percent_sv(s) as
    replace(cast(cast(round(s * 100, 1) as decimal(18, 1)) as varchar), '.', ',') || ' %';
create or replace macro percent_en(s) as
    cast(cast(round(s * 100, 1) as decimal(18, 1)) as varchar) || ' %';

-- A county as reference/federations.csv may write it — its code (18; 1 as a spreadsheet leaves 01), Kolada's region
-- id (0018) or its name (Örebro län), in any case — as Kolada's region id; null when it is none of Sweden's 21
-- counties (lan.csv). The one reading of a county: stg_federations, and the audit reading earlier releases.
create or replace macro lan_region_id(county_text) as (
    select l.region_id from ref_lan as l
    where lower(trim(county_text)) in (l.lan, l.region_id, lower(l.namn))
        or try_cast(trim(county_text) as integer) = cast(l.lan as integer)
);
