-- KPI: the catalog of KPIs (titles in Swedish and English, definitions, units, the population each
-- is computed over and the data it depends on), the single source of titles for every output.
-- Grain: one row per kpi_id (kpi_id).
select
    kpi_id,
    titel_sv,
    title_en,
    definition,
    formula,
    unit,
    numerator,
    denominator,
    source_models,
    by_gender,
    tema,
    protected_counts,
    coalesce(depends_on, '') as depends_on,
    population
from ref_kpi_catalog
