-- Assertion: every data-quality finding has its own id, so that a KPI's findings name it alone.
select finding_id, count(*) as findings
from quality
group by finding_id
having count(*) > 1
