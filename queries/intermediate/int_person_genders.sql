-- Intermediate: the genders each person is registered with in a federation, by the 64-bit hash of the
-- pseudonym, so that q_person_inconsistent finds the persons registered with different gender without reading
-- every pseudonym of every federation in every build (two persons who share a hash are told apart there, on
-- the pseudonyms).
-- Grain: one row per federation and hash of a pseudonym (federation_id, person_hash).
-- Built per federation: a federation's rows come from its own data alone.
select
    federation_id,
    person_hash,
    min(kon) as kon_min,
    max(kon) as kon_max
from int_person_registrations
group by federation_id, person_hash
