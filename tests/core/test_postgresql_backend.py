"""A kept-open PostgreSQL connection is checked without a round trip, and one the server has
closed is replaced before a request uses it."""

import time

import psycopg
import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the PostgreSQL backend adapter (SQLite run)"
)


@pytest.fixture
def kept_open(transactional_db: None):
    connection.ensure_connection()
    yield connection
    connection.close()


def _server_pid(conn) -> int:
    with conn.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def _admin(conn) -> psycopg.Connection:
    settings = conn.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"],
        dbname=settings["NAME"],
        autocommit=True,
    )


def test_a_healthy_connection_is_usable_without_a_query(kept_open):
    pid = _server_pid(kept_open)
    with kept_open.cursor() as cursor:
        cursor.execute("SELECT 'last statement before the check'")

    assert kept_open.is_usable()

    # The server still shows the statement before the check: no SELECT 1 was sent.
    with _admin(kept_open) as admin:
        last = admin.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()
    assert last == ("SELECT 'last statement before the check'",)


def test_a_connection_the_server_closed_is_found_and_replaced(kept_open):
    old_pid = _server_pid(kept_open)
    with _admin(kept_open) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [old_pid])
    # The server's goodbye reaches the socket a moment later (longer on a busy machine).
    deadline = time.monotonic() + 10
    while kept_open.is_usable() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not kept_open.is_usable()

    # What Django does at the start of each request: check, and close a dead connection.
    kept_open.health_check_done = False
    kept_open.close_if_health_check_failed()
    assert _server_pid(kept_open) != old_pid
