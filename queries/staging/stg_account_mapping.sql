-- Staging: the controller's account mapping with how specific each rule is.
-- Grain: one row per rule, a line of account_mapping.csv (rule_id).
select
    row_number() over () as rule_id,
    federation_id,
    konto_fran,
    konto_till,
    nullif(trim(coalesce(objekt, '')), '') as objekt,
    kategori,
    nullif(trim(coalesce(medlem, '')), '') as medlem,
    federation_id <> '*' as is_federation_rule,
    nullif(trim(coalesce(objekt, '')), '') is not null as has_object,
    konto_till - konto_fran as range_width
from ref_account_mapping
