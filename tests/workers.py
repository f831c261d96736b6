"""Running the configured task backend's worker in tests, and tasks that tests run on it."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import F
from django_tasks import task

from civicdesk.core.models import DataRevision
from civicdesk.core.retries import retrying
from civicdesk.core.worker import run_worker

REPO = Path(__file__).resolve().parents[1]


def run_worker_until_idle(*, scheduler: bool = False) -> None:
    """`civicdesk worker --burst` in this process, so tasks see the test's database connection
    (on RQ, jobs run in-process instead of in a forked child)."""
    run_worker(burst=True, scheduler=scheduler, in_process=True)


def clear_rq() -> None:
    """Forget every rq queue, registry and job (the test's own Redis database)."""
    if settings.TASK_BACKEND == "rq":
        import django_rq

        django_rq.get_connection().flushdb()


def wait_for(condition: Callable[[], object], *, seconds: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what or condition}")
        time.sleep(0.1)


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment of a `civicdesk` child process that shares this test's database and Redis."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{db['NAME']}"
    else:
        auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
        url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "CIVICDESK_TASK_BACKEND": settings.TASK_BACKEND,
        "CIVICDESK_LOG_LEVEL": "WARNING",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        **extra,
    }
    if settings.TASK_BACKEND == "rq":
        env["REDIS_URL"] = settings.RQ_QUEUES["default"]["URL"]
    else:
        env.pop("REDIS_URL", None)
    return env


def start_worker(env: dict[str, str], *args: str) -> "subprocess.Popen[bytes]":
    """`civicdesk worker` as a child in its own process group, so a test can kill all of it (rq's
    work horse and scheduler too) the way a lost machine would."""
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "civicdesk", "worker", *args],
        env=env,
        cwd=REPO,
        start_new_session=True,
    )


def kill_worker(worker: "subprocess.Popen[bytes]") -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)


def only_periodic(**tasks: int) -> str:
    """A CIVICDESK_PERIODIC_TASKS value that turns off the defaults and adds `tasks`."""
    entries = [f"{path}=off" for path in settings.CIVICDESK_PERIODIC_TASKS]
    entries += [f"tests.workers.{name}={seconds}" for name, seconds in tasks.items()]
    return ",".join(entries)


def _count(name: str) -> int:
    revision, _ = DataRevision.objects.get_or_create(name=name)
    DataRevision.objects.filter(name=name).update(value=F("value") + 1)
    return revision.value + 1


@task()
def count_run(*, key: str) -> int:
    """Counts its runs in a DataRevision row named `key`."""
    return _count(key)


@task()
def block_first_run(*, key: str, folder: str) -> str:
    """Writes its one effect (a row with the unique name `key`), logs each start to a file, and on
    its first run blocks until the process is killed."""
    starts = Path(folder) / f"{key}.starts"
    with starts.open("a") as log:
        log.write(f"{os.getpid()}\n")
    DataRevision.objects.get_or_create(name=key)
    if len(starts.read_text().splitlines()) == 1:
        while True:
            time.sleep(0.1)
    return "done"


@task()
@retrying(max_attempts=3, base_delay=0.2, max_delay=0.4)
def fail_twice(*, key: str) -> int:
    """Fails on its first two attempts and succeeds on the third."""
    runs = _count(key)
    if runs < 3:
        raise ConnectionError(f"attempt {runs} could not connect")
    return runs


@task()
@retrying(max_attempts=2, base_delay=0.1, max_delay=0.1)
def always_fail(*, key: str) -> None:
    _count(key)
    raise ValueError(f"{key} is not a valid thing")


@task()
def fail_once(*, key: str) -> int:
    """Fails on its first run only: the admin's retry makes it succeed."""
    runs = _count(key)
    if runs == 1:
        raise RuntimeError("the first run always fails")
    return runs


@task()
def count_periodic() -> int:
    """A periodic task (periodic tasks take no arguments) that counts its runs."""
    return _count("periodic")
