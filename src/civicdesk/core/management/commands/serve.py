"""`civicdesk serve`: the production web server and `civicdesk worker`, started and stopped
together."""

import os
import signal
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


def worker_command() -> list[str]:
    return [sys.executable, "-m", "civicdesk", "worker"]


class Command(BaseCommand):
    help = "Serve CivicDesk with gunicorn and run the background task worker beside it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("CIVICDESK_WEB_WORKERS", "2")),
            help="gunicorn worker processes (default 2, or CIVICDESK_WEB_WORKERS).",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Run only the web server (the worker runs elsewhere).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("collectstatic", interactive=False, verbosity=0)
        web = [
            sys.executable,
            "-m",
            "gunicorn",
            "civicdesk.wsgi:application",
            "--bind",
            f"{options['host']}:{options['port']}",
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "10",
        ]
        children: list[subprocess.Popen[bytes]] = []
        if settings.TASK_BACKEND != "immediate" and not options["no_worker"]:
            children.append(subprocess.Popen(worker_command()))  # noqa: S603
        children.append(subprocess.Popen(web))  # noqa: S603

        def stop(signum: int, frame: FrameType | None) -> None:
            for child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        finally:
            stop(signal.SIGTERM, None)
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
        failed = [child for child in children if child.returncode not in (0, -signal.SIGTERM)]
        if failed:
            sys.exit(1)
