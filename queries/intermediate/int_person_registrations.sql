-- Intermediate: the registrations of persons with personal data (a pseudonym), with the columns q_person_inconsistent
-- reads of them in every federation: kept per federation in place of every column of stg_registrations, whose kept
-- rows took 0.7 s to write in a national full build (docs/benchmarks.md, "Incremental builds").
-- Grain: one row per federation and registration with a pseudonym (federation_id, registrering_id).
-- Built per federation: a federation's rows come from its own data alone.
select
    federation_id,
    registrering_id,
    person_pseudonym,
    -- The pseudonym's 64-bit hash, by which int_person_genders groups a federation's persons.
    hash(person_pseudonym) as person_hash,
    kon,
    startdatum,
    slutdatum
from stg_registrations
where person_pseudonym is not null
