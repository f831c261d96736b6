"""Resident portal: server-side render time and page weight, on SQLite and PostgreSQL.

    .venv/bin/python bench/portal.py [--requests 400] [--cases 300]
        [--sqlite-only | --postgres-only]

For each database a child process loads the demo jurisdiction as `civicdesk demo --no-serve`
does (catalog, districts, addresses, 3,000 real Boston requests, staff), opens `--cases` recent
requests through intake (so the home page's "most requested" has something to rank), and then
times full requests through Django's middleware with the test client, in-process, interleaved
page by page so drift on a shared machine hits every page alike:

- `GET /health/live`: the reference, a bare view returning a fixed JSON body;
- `GET /` (home), `GET /report/pothole/` (a service page) and `GET /track/?reference=…` (the
  imported request with the longest public timeline).

Then it starts `civicdesk serve` (gunicorn, collected and compressed static files through
WhiteNoise, as in production) on the same database and loads each page once in Debian's
Chromium through Playwright with a cold cache, adding up what crossed the wire (headers and
bodies, as Chromium's network log counts them), the bodies' uncompressed size, and the number
of requests. It prints both beside the targets: home under 50 ms at p99 on the server and under
500 KB transferred. PostgreSQL uses its own database, `<BENCH_POSTGRES_URL's name>_portal`, so
this can run beside the other benchmarks.
"""

import io
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import (
    child_env,
    database_version,
    demo_jurisdiction_load,
    free_port,
    fresh_database,
    machine,
    submissions_make,
    targets,
    wait_until_up,
)

CHROMIUM = Path(os.environ.get("CIVICDESK_CHROMIUM", "/usr/bin/chromium"))
HOME_P99_TARGET_MS = 50.0
HOME_WEIGHT_TARGET_KB = 500.0
PAGES = ("home", "service page", "track page")


def child(cases: int, requests: int) -> dict[str, Any]:
    fresh_database()
    from django.core.management import call_command
    from django.db.models import Count, Q
    from django.test import Client

    from civicdesk.cases.models import Case
    from civicdesk.intake.services import intake_submit

    call_command("demo", "--no-serve", stdout=io.StringIO())
    for submission in submissions_make(cases, demo_jurisdiction_load()):
        intake_submit(submission=submission)
    track = (
        Case.objects.filter(service_type__is_public=True)
        .annotate(public_events=Count("events", filter=Q(events__is_public=True)))
        .order_by("-public_events", "id")
        .first()
    )
    assert track is not None
    urls = {
        "bare view (reference)": "/health/live",
        "home": "/",
        "service page": "/report/pothole/",
        "track page": f"/track/?reference={track.reference}",
    }
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    # Warm up: imports, template loading, and the caches a running server keeps (the most
    # requested services for five minutes, the catalog and district lookups).
    for _ in range(20):
        for url in urls.values():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
    samples: dict[str, list[float]] = {name: [] for name in urls}
    for _ in range(requests):
        for name, url in urls.items():
            started = time.perf_counter()
            response = client.get(url)
            samples[name].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
    return {
        "version": database_version(),
        "track_reference": track.reference,
        "track_events": track.public_events,
        "urls": urls,
        "timings": {name: _percentiles(values) for name, values in samples.items()},
    }


def _percentiles(values: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": statistics.median(values), "p99": cuts[98]}


def page_weights(base: str, urls: dict[str, str]) -> dict[str, dict[str, float]] | str:
    """Bytes and requests of each page as Chromium loads it with an empty cache."""
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    from playwright.sync_api import sync_playwright

    weights: dict[str, dict[str, float]] = {}
    with sync_playwright() as playwright:
        args = ["--no-sandbox"] if os.geteuid() == 0 else []
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
        try:
            for name in PAGES:
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                network = context.new_cdp_session(page)
                totals = {"requests": 0.0, "transferred": 0.0, "uncompressed": 0.0}

                def sent(event: dict[str, Any], totals: dict[str, float] = totals) -> None:
                    if not event["request"]["url"].startswith("data:"):
                        totals["requests"] += 1

                def received(event: dict[str, Any], totals: dict[str, float] = totals) -> None:
                    totals["uncompressed"] += event["dataLength"]

                def finished(event: dict[str, Any], totals: dict[str, float] = totals) -> None:
                    totals["transferred"] += event["encodedDataLength"]

                network.on("Network.requestWillBeSent", sent)
                network.on("Network.dataReceived", received)
                network.on("Network.loadingFinished", finished)
                network.send("Network.enable")
                network.send("Network.setCacheDisabled", {"cacheDisabled": True})
                page.goto(base + urls[name], wait_until="networkidle")
                weights[name] = dict(totals)
                context.close()
        finally:
            browser.close()
    return weights


def postgres_for_this_bench(url: str) -> str:
    """The benchmark's own PostgreSQL database, so it never drops another benchmark's."""
    return re.sub(r"/([^/?]+)(\?|$)", r"/\1_portal\2", url, count=1)


def measure(label: str, database_url: str, cases: int, requests: int) -> dict[str, Any]:
    if label == "PostgreSQL":
        database_url = postgres_for_this_bench(database_url)
    var_dir = tempfile.mkdtemp(prefix="civicdesk-bench-var-")
    env = {**child_env(database_url, var_dir=var_dir), "CIVICDESK_WEB_WORKERS": "2"}
    try:
        prepared = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                "--cases",
                str(cases),
                "--requests",
                str(requests),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if prepared.returncode != 0:
            sys.stderr.write(prepared.stderr)
            raise SystemExit(f"{label}: benchmark child failed")
        result: dict[str, Any] = json.loads(prepared.stdout.strip().splitlines()[-1])
        print(
            f"\n{label} ({result['version']}): demo data plus {cases} recent requests; "
            f"{requests} requests per page through Django's test client, in-process; "
            f"the track page shows {result['track_reference']}, "
            f"{result['track_events']} public events"
        )
        print(f"{'page':<24} {'path':<34} {'p50 ms':>8} {'p99 ms':>8} {'p50 vs bare':>12}")
        reference = result["timings"]["bare view (reference)"]["p50"]
        for name, timing in result["timings"].items():
            path = result["urls"][name]
            print(
                f"{name:<24} {path:<34} {timing['p50']:>8.2f} {timing['p99']:>8.2f}"
                f" {timing['p50'] / reference:>12.1f}"
            )

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "-m", "civicdesk", "serve", "--no-worker", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_up(f"{base}/health/live")
            weights = page_weights(base, result["urls"])
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        print("page weight: civicdesk serve (gunicorn, WhiteNoise), Chromium, cold cache")
        if isinstance(weights, str):
            print(f"  not measured: {weights}")
        else:
            print(f"{'page':<24} {'requests':>9} {'transferred KB':>15} {'uncompressed KB':>16}")
            for name, weight in weights.items():
                print(
                    f"{name:<24} {int(weight['requests']):>9} "
                    f"{weight['transferred'] / 1024:>15.1f} {weight['uncompressed'] / 1024:>16.1f}"
                )
        result["weights"] = weights
        return result
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


def verdict(label: str, result: dict[str, Any]) -> str:
    home_p99 = result["timings"]["home"]["p99"]
    parts = [
        f"home p99 {home_p99:.1f} ms < {HOME_P99_TARGET_MS:.0f} ms: "
        + ("met" if home_p99 < HOME_P99_TARGET_MS else "NOT MET")
    ]
    weights = result["weights"]
    if isinstance(weights, dict):
        home_kb = weights["home"]["transferred"] / 1024
        parts.append(
            f"home {home_kb:.0f} KB < {HOME_WEIGHT_TARGET_KB:.0f} KB transferred: "
            + ("met" if home_kb < HOME_WEIGHT_TARGET_KB else "NOT MET")
        )
    else:
        parts.append("home weight: not measured")
    return f"{label}: " + "; ".join(parts)


def main(argv: list[str]) -> None:
    cases = int(argv[argv.index("--cases") + 1]) if "--cases" in argv else 300
    requests = int(argv[argv.index("--requests") + 1]) if "--requests" in argv else 400
    if "--child" in argv:
        print(json.dumps(child(cases, requests)))
        return
    print(f"machine: {machine()}")
    verdicts = [
        verdict(label, measure(label, url, cases, requests)) for label, url in targets(argv)
    ]
    print("\ntargets")
    for line in verdicts:
        print(f"  {line}")


if __name__ == "__main__":
    main(sys.argv[1:])
