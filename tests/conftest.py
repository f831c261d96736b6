import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import translation


def pytest_configure(config: pytest.Config) -> None:
    """With Redis, give each xdist worker its own cache and task-queue database.

    Tests clear the cache (rate-limit counters, cached reads), and a clear is a FLUSHDB: on a
    shared database one worker's clear would wipe another's counters mid-test. Worker N uses the
    database N below the one REDIS_URL names (wrapping at 0), so `.ci/run`'s /15 gives 15, 14, …
    """
    from django.conf import settings

    # Search ranks lexically in tests whether or not the optional civicdesk[semantic] extra is
    # installed, so results do not depend on the machine; test_search_semantic.py turns it on.
    settings.CIVICDESK_SEARCH_SEMANTIC = "off"

    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    cache = settings.CACHES["default"]
    if not cache["BACKEND"].endswith("RedisCache"):
        return
    match = re.fullmatch(r"(redis://[^/]+)/?(\d*)", str(cache["LOCATION"]))
    if match is None:
        return
    base = int(match.group(2) or 0)
    index = int(worker.removeprefix("gw") or 0)
    cache["LOCATION"] = f"{match.group(1)}/{(base - index) % 16}"
    # The task queue too: another worker's in-process worker would run this one's jobs against
    # its own test database.
    settings.RQ_QUEUES["default"]["URL"] = cache["LOCATION"]


@pytest.fixture(autouse=True)
def _site_language() -> Iterator[None]:
    """Each test starts in the site's default language, as a new server thread would.

    LocaleMiddleware activates a request's language in the thread that served it and leaves it
    there, so a Spanish request in one test would otherwise make the next test's text Spanish.
    """
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_process_caches() -> Iterator[None]:
    """Row ids come back after each test's rollback: districts, calendars or routing rules
    cached in this process by one test must not count for another's rows (a case given a
    district id that the next test's database never had fails its foreign key at commit)."""
    from civicdesk.catalog.sla import sla_cache_clear
    from civicdesk.geo.selectors import area_index_clear
    from civicdesk.routing.rules import routing_rules_cache_clear

    clears = (sla_cache_clear, area_index_clear, routing_rules_cache_clear)
    for clear in clears:
        clear()
    yield
    for clear in clears:
        clear()


@pytest.fixture
def empty_task_queue() -> Iterator[None]:
    """No rq job left from another test, before or after this one (on the database backend the
    queue is rows, which the test's rollback already clears)."""
    from tests.workers import clear_rq

    clear_rq()
    yield
    clear_rq()


@pytest.fixture(autouse=True)
def _media_in_tmp(tmp_path: Path) -> Iterator[None]:
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield
