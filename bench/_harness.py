"""Shared plumbing for benchmarks: machine description, databases to run on, child processes.

Each figure is measured in a child process per database so Django is configured once per
process, and each is printed beside a reference measured in the same child, because these
machines are shared and absolute numbers drift.
"""

import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/civicdesk_bench"


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"{platform.node()} | {cpu} | {os.cpu_count()} cores | "
        f"{platform.system()} {platform.release()} | Python {platform.python_version()}"
    )


def targets(argv: list[str]) -> list[tuple[str, str]]:
    """The databases to measure: SQLite unless --postgres-only, PostgreSQL unless --sqlite-only."""
    tmp = Path(tempfile.mkdtemp(prefix="civicdesk-bench-"))
    chosen = []
    if "--postgres-only" not in argv:
        chosen.append(("SQLite", f"sqlite:///{tmp / 'bench.sqlite3'}"))
    if "--sqlite-only" not in argv:
        chosen.append(("PostgreSQL", os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)))
    return chosen


def child_env(database_url: str, *, var_dir: str) -> dict[str, str]:
    """The environment of a benchmark process: its own database and folder, tasks run inline."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "civicdesk.settings",
        "CIVICDESK_TASK_BACKEND": "immediate",
        "CIVICDESK_VAR_DIR": var_dir,
        "CIVICDESK_LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    return env


def run_child(script: Path, label: str, database_url: str, extra: list[str]) -> dict[str, Any]:
    env = child_env(database_url, var_dir=tempfile.mkdtemp(prefix="civicdesk-bench-var-"))
    completed = subprocess.run(
        [sys.executable, str(script), "--child", *extra],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        sys.stderr.write(completed.stderr)
        raise SystemExit(f"{label}: benchmark child failed")
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    result["database"] = label
    return result


def fresh_database() -> None:
    """Create (or empty) the child's database and migrate it."""
    import django
    from django.conf import settings

    django.setup()
    from django.db import connection

    database = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        import psycopg

        name = database["NAME"]
        admin = psycopg.connect(
            host=database["HOST"],
            port=database["PORT"] or 5432,
            user=database["USER"],
            dbname="postgres",
            autocommit=True,
        )
        with admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return f"{connection.vendor} {cursor.fetchone()[0]}"


def demo_jurisdiction_load() -> list[tuple[float, float]]:
    """Load the demo catalog and districts; return real Boston request points inside them."""
    import gzip

    from civicdesk.core.demo import DEMO_OPEN311_SAMPLE, demo_catalog_load, demo_districts_load
    from civicdesk.geo.selectors import point_in_jurisdiction

    demo_catalog_load()
    demo_districts_load()
    with gzip.open(DEMO_OPEN311_SAMPLE, "rt") as handle:
        sample = json.load(handle)
    return [
        (float(r["lat"]), float(r["long"]))
        for r in sample
        if r.get("lat")
        and r.get("long")
        and point_in_jurisdiction(lat=float(r["lat"]), long=float(r["long"]))
    ]


def submissions_make(count: int, points: list[tuple[float, float]]) -> list[Any]:
    """Valid, varied intake submissions over the demo catalog, the same on every run."""
    import random

    from civicdesk.catalog.models import ServiceType
    from civicdesk.contacts.choices import Channel
    from civicdesk.intake.services import IntakeSubmission

    rng = random.Random(311)
    services = list(
        ServiceType.objects.filter(is_active=True, is_public=True).prefetch_related(
            "attributes__values"
        )
    )

    def attributes_for(service: ServiceType) -> dict[str, Any]:
        answers: dict[str, Any] = {}
        for attribute in service.attributes.all():
            if not attribute.variable:
                continue
            keys = [value.key for value in attribute.values.all()]
            answers[attribute.code] = {
                "singlevaluelist": lambda keys=keys: keys[0],
                "multivaluelist": lambda keys=keys: keys[:2],
                "number": lambda: "3",
                "datetime": lambda: "2026-11-20T09:30:00-05:00",
            }.get(attribute.datatype, lambda: "Seen on the way to work")()
        return answers

    submissions = []
    for index in range(count):
        service = rng.choice(services)
        lat, long = rng.choice(points)
        submissions.append(
            IntakeSubmission(
                channel=rng.choice([Channel.WEB, Channel.OPEN311, Channel.VOICE]),
                service_code=service.code,
                description=f"Benchmark report {index}: {service.name} near the corner.",
                lat=lat,
                long=long,
                attributes=attributes_for(service),
                email=f"resident{index % 200}@example.com" if index % 3 else "",
            )
        )
    return submissions


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback only
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer at {url}")


def semantic_builds(lexical_search: Callable[[], object]) -> dict[str, Any]:
    """The optional semantic re-ranker's start-up: the model's load, then the English semantic
    index built cold (every question embedded) and again from the embedding cache file, as a new
    process would. `lexical_search` builds the lexical index first, outside the timings."""
    from django.test import override_settings

    from civicdesk.knowledge.search import embeddings, search_index_clear
    from civicdesk.knowledge.search.engine import search_semantic_warm

    def build_seconds() -> float:
        with override_settings(CIVICDESK_SEARCH_SEMANTIC="off"):
            lexical_search()
        with override_settings(CIVICDESK_SEARCH_SEMANTIC="on"):
            started = time.perf_counter()
            search_semantic_warm("en")
            return time.perf_counter() - started

    started = time.perf_counter()
    embeddings.encoder_get()
    load_seconds = time.perf_counter() - started
    search_index_clear()
    cold_seconds = build_seconds()
    cache = embeddings.embedding_cache_get()
    embedded, cache_bytes = cache.embedded, cache.path.stat().st_size
    search_index_clear()
    embeddings.embedding_caches_forget()
    file_seconds = build_seconds()
    return {
        "load_s": load_seconds,
        "cold_s": cold_seconds,
        "embedded": embedded,
        "file_s": file_seconds,
        "cache_mb": cache_bytes / 2**20,
    }
