"""The SLA sweep over many open cases, on PostgreSQL.

    .venv/bin/python bench/sla.py [--cases 1000000]

Loads N open cases with COPY into a scratch database it creates and drops (BENCH_SLA_POSTGRES_URL,
default civicdesk_bench_sla), with about 5% of them due to change: 2.5% past their due time
(to breached) and 2.5% past their at-risk point (to at risk). Figures:
- sweep: seconds for `sla_sweep` to mark them all, with their events and escalations;
- again: seconds for a second sweep, which finds nothing to do;
- references, measured in the same process: `SELECT count(*)` over the open cases, and a plain
  `UPDATE` of the same rows' state without events (rolled back), and the sweep's ratio to each.

Then it runs bench/duplicates.py with the same number of cases: the duplicate-candidate lookup
p50/p99 beside a primary-key lookup (`--no-duplicates` skips it).
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import database_version, fresh_database, machine, run_child

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/civicdesk_bench_sla"
NOW_ISO = "2026-06-15T12:00:00+00:00"


def _load(cases: int) -> None:
    import datetime as dt

    from django.contrib.auth.models import User
    from django.db import connection
    from psycopg.types.json import Jsonb

    from civicdesk.cases.models import Case
    from civicdesk.catalog.models import Department, ServiceType

    boss = User.objects.create_user(username="supervisor")
    departments = [
        Department.objects.create(
            code=f"d{i}", name=f"Department {i}", supervisor=boss if i else None
        )
        for i in range(4)
    ]
    services = [
        ServiceType.objects.create(
            code=f"s{i}",
            name=f"Service {i}",
            default_department=departments[i % 4],
            sla_value=10,
            sla_unit="calendar_days",
        )
        for i in range(8)
    ]
    now = dt.datetime.fromisoformat(NOW_ISO)
    fields = [f for f in Case._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    defaults = {f.attname: f.get_default() for f in fields}
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY cases_case ({', '.join(columns)}) FROM STDIN") as copy:
            for index in range(cases):
                service = services[index % 8]
                slot = index % 40
                if slot == 0:  # past due: to breached
                    due = now - dt.timedelta(hours=1 + index % 50)
                elif slot == 1:  # past the at-risk point: to at risk
                    due = now + dt.timedelta(hours=1 + index % 50)
                else:
                    due = now + dt.timedelta(days=3 + index % 7)
                requested = due - dt.timedelta(days=10)
                values = {
                    **defaults,
                    "reference": f"B-{index:08d}",
                    "service_type_id": service.pk,
                    "department_id": service.default_department_id,
                    "status": "open" if index % 3 else "new",
                    "channel": "web",
                    "description": "Benchmark request",
                    "attributes": Jsonb({}),
                    "requested_at": requested,
                    "updated_at": requested,
                    "sla_due_at": due,
                    "sla_at_risk_at": due - dt.timedelta(days=2, hours=12),
                    "sla_state": "on_track",
                    "jurisdiction": "civicdesk.demo",
                }
                copy.write_row([values[f.attname] for f in fields])
        cursor.execute("ANALYZE cases_case")


def _reference(sql: str, rollback: bool = False) -> float:
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, [NOW_ISO] * sql.count("%s"))
        if rollback:
            transaction.set_rollback(True)
    return time.perf_counter() - started


def child(cases: int) -> dict[str, Any]:
    fresh_database()
    import datetime as dt

    from django.db import connection

    from civicdesk.cases.models import CaseEvent
    from civicdesk.cases.services.sla import sla_sweep

    if connection.vendor != "postgresql":
        raise SystemExit("bench/sla.py measures PostgreSQL; set BENCH_SLA_POSTGRES_URL.")
    started = time.perf_counter()
    _load(cases)
    load_seconds = time.perf_counter() - started

    count_seconds = _reference("SELECT count(*) FROM cases_case WHERE NOT (status = 'closed')")
    update_seconds = _reference(
        "UPDATE cases_case SET sla_state = 'breached' WHERE NOT (status = 'closed') AND "
        "sla_state IN ('on_track', 'at_risk') AND sla_paused_at IS NULL AND "
        "(sla_due_at < %s OR sla_at_risk_at <= %s)",
        rollback=True,
    )
    now = dt.datetime.fromisoformat(NOW_ISO)
    started = time.perf_counter()
    result = sla_sweep(now=now)
    sweep_seconds = time.perf_counter() - started
    started = time.perf_counter()
    again = sla_sweep(now=now)
    again_seconds = time.perf_counter() - started
    return {
        "version": database_version(),
        "cases": cases,
        "load_s": load_seconds,
        "sweep_s": sweep_seconds,
        "again_s": again_seconds,
        "count_s": count_seconds,
        "update_s": update_seconds,
        "at_risk": result.at_risk,
        "breached": result.breached,
        "batches": result.batches,
        "events": CaseEvent.objects.count(),
        "again_changes": again.at_risk + again.breached,
    }


def _drop(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def main(argv: list[str]) -> None:
    cases = int(argv[argv.index("--cases") + 1]) if "--cases" in argv else 1_000_000
    if "--child" in argv:
        print(json.dumps(child(cases)))
        return
    url = os.environ.get("BENCH_SLA_POSTGRES_URL", DEFAULT_URL)
    print(f"machine: {machine()}")
    try:
        r = run_child(Path(__file__), "PostgreSQL", url, ["--cases", str(cases)])
    finally:
        _drop(url)
    print(
        f"{'database':<11} {'open cases':>11} {'changed':>8} {'sweep s':>8} {'again s':>8}"
        f" {'count(*) s':>11} {'UPDATE s':>9} {'sweep/count':>12} {'sweep/UPDATE':>13}"
    )
    print(
        f"{r['database']:<11} {r['cases']:>11,} {r['at_risk'] + r['breached']:>8,}"
        f" {r['sweep_s']:>8.2f} {r['again_s']:>8.3f} {r['count_s']:>11.3f}"
        f" {r['update_s']:>9.3f} {r['sweep_s'] / r['count_s']:>12.1f}"
        f" {r['sweep_s'] / r['update_s']:>13.1f}"
        f"   ({r['version']}; {r['at_risk']:,} at risk, {r['breached']:,} breached in"
        f" {r['batches']} batches; {r['events']:,} events; second sweep changed"
        f" {r['again_changes']}; COPY load {r['load_s']:.1f} s)"
    )

    if "--no-duplicates" not in argv:
        print()
        # Its own scratch database, loaded its own way; the figures print as they come.
        subprocess.run(
            [sys.executable, str(Path(__file__).with_name("duplicates.py")), "--cases", str(cases)],
            check=True,
        )


if __name__ == "__main__":
    main(sys.argv[1:])
