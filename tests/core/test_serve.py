import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get_json(url: str) -> dict[str, object]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
        return json.loads(response.read())


@pytest.mark.slow
def test_serve_runs_the_web_server_and_the_worker_together_and_stops_cleanly(tmp_path: Path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "CIVICDESK_VAR_DIR": str(tmp_path / "var"),
        "CIVICDESK_LOG_LEVEL": "WARNING",
    }
    civicdesk = [sys.executable, "-m", "civicdesk"]
    subprocess.run([*civicdesk, "migrate", "-v", "0"], env=env, check=True)  # noqa: S603
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [*civicdesk, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        health: dict[str, object] = {}
        while time.monotonic() < deadline:
            try:
                health = get_json(f"http://127.0.0.1:{port}/health")
            except OSError:
                health = {}
            tasks = health.get("tasks")
            if isinstance(tasks, dict) and tasks.get("worker_ok"):
                break
            time.sleep(0.5)
        assert health.get("status") == "ok", health
        # The worker beside the web server runs the periodic scheduler too.
        periodic = {entry["task"]: entry for entry in health["tasks"]["periodic"]}  # type: ignore[index]
        assert periodic["civicdesk.core.tasks.worker_heartbeat"]["last_enqueued_at"]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/login/", timeout=5) as page:
            assert page.status == 200
    finally:
        server.send_signal(signal.SIGTERM)
        returncode = server.wait(timeout=30)
    assert returncode == 0
