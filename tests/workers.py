"""Running the configured task backend's worker inside a test, until the queue is empty."""

from django.conf import settings
from django.core.management import call_command


def run_worker_until_idle() -> None:
    if settings.TASK_BACKEND == "rq":
        import django_rq
        from rq import SimpleWorker

        # SimpleWorker runs jobs in this process, so they see the test's database connection.
        worker = django_rq.get_worker(
            "default", worker_class=SimpleWorker, job_class="django_tasks_rq.Job"
        )
        worker.work(burst=True)
    else:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
