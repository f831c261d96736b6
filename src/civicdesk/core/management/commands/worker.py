"""`civicdesk worker`: run background tasks for the configured backend, with the scheduler."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks import task_backends

from civicdesk.core.worker import run_worker


class Command(BaseCommand):
    help = (
        "Run background tasks for the configured task backend (database or RQ), with the "
        "periodic scheduler in the same process. SIGTERM or SIGINT finishes the running task "
        "and exits; a second one stops at once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queues",
            default="",
            help="Comma-separated queues to take tasks from (default: every configured queue).",
        )
        parser.add_argument(
            "--burst",
            action="store_true",
            help="Enqueue due periodic tasks, run every task that is ready, then exit.",
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="Do not enqueue periodic tasks from this worker (another process does).",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Database backend: seconds between looks at an empty queue (default 1).",
        )
        parser.add_argument(
            "--worker-id",
            default="",
            help="A name for this worker, unique across all of them (default: host-pid-random).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.TASK_BACKEND not in {"database", "rq"}:
            raise CommandError(
                f"The {settings.TASK_BACKEND} task backend runs tasks inline; there is no worker."
            )
        queues = [name.strip() for name in options["queues"].split(",") if name.strip()]
        unknown = set(queues) - task_backends["default"].queues
        if unknown:
            raise CommandError(f"Unknown queues: {', '.join(sorted(unknown))}")
        if options["interval"] < 0:
            raise CommandError("--interval must be 0 or more.")
        run_worker(
            queues=queues or None,
            burst=options["burst"],
            scheduler=not options["no_scheduler"],
            interval=options["interval"],
            worker_id=options["worker_id"] or None,
        )
