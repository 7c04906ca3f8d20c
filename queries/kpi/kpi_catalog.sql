-- KPI: the catalog of KPIs (titles in Swedish and English, definitions, units), the single source
-- of titles for every output. Grain: one row per kpi_id.
select kpi_id, titel_sv, title_en, definition, formula, unit, numerator, denominator, source_models, by_gender, tema, protected_counts
from ref_kpi_catalog
