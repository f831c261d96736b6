"""Background work of the Open311 write side."""

from django_tasks import task

from civicdesk.open311.services import batch_submission_process


@task()
def batch_submission_run(*, batch_id: int) -> str:
    """Turn a batch submission into its case; a second run finds it processed and does nothing."""
    batch = batch_submission_process(batch_id=batch_id)
    if batch is None:
        return "missing"
    return batch.case.reference if batch.case is not None else f"error: {batch.error}"
