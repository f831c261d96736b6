"""Background work on cases."""

from django_tasks import task

from civicdesk.cases.services.sla import sla_sweep as sla_sweep_run
from civicdesk.core.retries import retrying


@task()
@retrying(max_attempts=3, base_delay=30, max_delay=120)
def sla_sweep() -> str:
    """Mark open cases at risk or breached and escalate them; the scheduler runs it every few
    minutes, and a run that overlaps another or repeats one changes nothing twice."""
    return str(sla_sweep_run())
