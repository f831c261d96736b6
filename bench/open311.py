"""Open311 GeoReport v2 throughput and latency against the production server, SQLite and PostgreSQL.

    .venv/bin/python bench/open311.py [--seconds 5] [--cases 1200] [--sqlite-only | --postgres-only]
        [--only TEXT] [--workers 4]

Needs `wrk` (Debian: `apt-get install -y wrk`). For each database it loads the demo catalog and
districts, opens `--cases` requests through intake (so `GET requests` has a full page of 1,000
inside the default 90-day window), creates an API key, starts `civicdesk serve` (gunicorn, the
production setup) and measures with 1, 8 and 32 concurrent clients:

- `GET /health/live`: the reference, a bare Django view returning a fixed JSON body;
- `GET requests.json` with a page of 50 and of 1,000;
- `GET services.xml`;
- `POST requests.json` (form-encoded, a realtime service, a new case each time).

`--only TEXT` measures just the scenarios whose name contains TEXT (and the reference).
Each row prints requests/s, p50 and p99 latency, non-2xx answers, and the ratio to the reference
at the same concurrency, measured in the same run.
"""

import json
import re
import shutil
import signal
import subprocess
import sys
import tempfile
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

CLIENTS = (1, 8, 32)
WEB_WORKERS = 4
POST_SCRIPT = """
counter = 0
request = function()
  counter = counter + 1
  local body = "api_key=%(key)s&service_code=graffiti-removal&lat=42.3554&long=-71.0605"
    .. "&address_string=1+City+Hall+Sq&description=Tag+on+the+wall+" .. counter
  return wrk.format("POST", nil, {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
"""


def child_prepare(cases: int) -> dict[str, Any]:
    fresh_database()
    from civicdesk.intake.services import intake_submit
    from civicdesk.open311.services import apikey_create

    for submission in submissions_make(cases, demo_jurisdiction_load()):
        intake_submit(submission=submission)
    _, key = apikey_create(name="benchmark", rate_limit_per_minute=10**9)
    return {"version": database_version(), "api_key": key}


def parse_duration_ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(url: str, clients: int, seconds: int, script: Path | None = None) -> dict[str, float]:
    command = ["wrk", "--latency", "-t", str(min(clients, 2)), "-c", str(clients)]
    command += ["-d", f"{seconds}s", "--timeout", "10s"]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = parse_duration_ms(re.search(r"\s50%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    p99 = parse_duration_ms(re.search(r"\s99%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return {"rate": rate, "p50": p50, "p99": p99, "non2xx": float(errors.group(1)) if errors else 0}


def measure(
    label: str, database_url: str, seconds: int, cases: int, only: str, workers: int
) -> None:
    var_dir = tempfile.mkdtemp(prefix="civicdesk-bench-var-")
    env = {**child_env(database_url, var_dir=var_dir), "CIVICDESK_WEB_WORKERS": str(workers)}
    prepared = subprocess.run(
        [sys.executable, __file__, "--child", "--cases", str(cases)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if prepared.returncode != 0:
        sys.stderr.write(prepared.stderr)
        raise SystemExit(f"{label}: preparing the database failed")
    info = json.loads(prepared.stdout.strip().splitlines()[-1])
    script = Path(var_dir) / "post.lua"
    script.write_text(POST_SCRIPT % {"key": info["api_key"]})

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
        print(
            f"\n{label} ({info['version']}), gunicorn with {workers} sync workers, "
            f"{cases} requests in the database, {seconds} s per row"
        )
        print(
            f"{'endpoint':<34} {'clients':>7} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}"
            f" {'non-2xx':>8} {'vs bare':>8}"
        )
        scenarios = [
            ("bare view (reference)", f"{base}/health/live", None),
            (
                "GET requests.json page of 50",
                f"{base}/open311/v2/requests.json?page=1&page_size=50",
                None,
            ),
            (
                "GET requests.json page of 1,000",
                f"{base}/open311/v2/requests.json?page=1&page_size=1000",
                None,
            ),
            ("GET services.xml", f"{base}/open311/v2/services.xml", None),
            ("POST requests.json", f"{base}/open311/v2/requests.json", script),
        ]
        reference: dict[int, float] = {}
        for name, url, lua in scenarios:
            if only and only not in name and not url.endswith("/health/live"):
                continue
            # Every gunicorn worker imports the app and fills its caches on its first requests;
            # that start-up belongs to no scenario's latency.
            wrk(url, workers * 2, 1, lua)
            for clients in CLIENTS:
                result = wrk(url, clients, seconds, lua)
                if lua is None and url.endswith("/health/live"):
                    reference[clients] = result["rate"]
                ratio = result["rate"] / reference[clients]
                print(
                    f"{name:<34} {clients:>7} {result['rate']:>9.1f} {result['p50']:>8.1f}"
                    f" {result['p99']:>8.1f} {int(result['non2xx']):>8} {ratio:>8.3f}",
                    flush=True,
                )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(var_dir, ignore_errors=True)


def main(argv: list[str]) -> None:
    cases = int(argv[argv.index("--cases") + 1]) if "--cases" in argv else 1200
    if "--child" in argv:
        print(json.dumps(child_prepare(cases)))
        return
    if shutil.which("wrk") is None:
        raise SystemExit("bench/open311.py needs wrk: apt-get install -y wrk")
    seconds = int(argv[argv.index("--seconds") + 1]) if "--seconds" in argv else 5
    only = argv[argv.index("--only") + 1] if "--only" in argv else ""
    workers = int(argv[argv.index("--workers") + 1]) if "--workers" in argv else WEB_WORKERS
    print(f"machine: {machine()}")
    for label, url in targets(argv):
        measure(label, url, seconds, cases, only, workers)


if __name__ == "__main__":
    main(sys.argv[1:])
