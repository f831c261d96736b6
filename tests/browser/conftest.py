"""Fixtures for the browser tests: one Chromium per test process, reused contexts, axe.

Chromium is Debian's (`/usr/bin/chromium`, or `CIVICDESK_CHROMIUM`); Playwright never downloads
a browser. Without it the tests are skipped with the reason, except in CI (`CI=true`), where
they fail: `.ci/run` installs it, so a missing browser there is a broken machine, not a pass.
"""

import glob
import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from .data import PublicRequests, demo_jurisdiction_load, public_requests_open
from .harness import (
    CHROMIUM,
    AxeAudit,
    BrowserPages,
    BrowserThread,
    Remote,
    screenshot,
    screenshot_dir,
)

IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_thread() -> Iterator[BrowserThread]:
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"no Chromium at {CHROMIUM} (Debian: apt-get install -y chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("Playwright is not installed (pip install -r requirements/dev.lock)")
    thread = BrowserThread()
    thread.start()
    yield thread
    thread.stop()


@pytest.fixture(scope="session")
def _contexts(browser_thread: BrowserThread, live_server: Any) -> Iterator[dict[Any, Remote]]:
    """Browser contexts by (viewport, language, JavaScript), made once per test process."""
    made: dict[Any, Remote] = {}
    yield made
    for context in made.values():
        context.close()


_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed  # so the pages' fixture can keep a screenshot
    return report


@pytest.fixture
def browser_pages(
    request: pytest.FixtureRequest,
    transactional_db: None,
    live_server: Any,
    browser_thread: BrowserThread,
    _contexts: dict[Any, Remote],
) -> Iterator[BrowserPages]:
    for stale in screenshot_dir().glob(glob.escape(f"FAILED-{request.node.name}-") + "*.png"):
        stale.unlink()
    pages = BrowserPages(browser_thread, _contexts, live_server.url)
    yield pages
    if request.node.stash.get(_FAILED, False):
        for number, page in enumerate(pages.opened, start=1):
            if not page.is_closed():
                screenshot(page, f"FAILED-{request.node.name}-{number}")
    pages.close()


@pytest.fixture
def axe(browser_pages: BrowserPages) -> AxeAudit:
    return AxeAudit(browser_pages)


@pytest.fixture
def demo(transactional_db: None) -> Iterator[None]:
    """The demo catalog and districts, as `civicdesk demo` loads them."""
    demo_jurisdiction_load()
    yield
    cache.clear()


@pytest.fixture
def public_requests(demo: None) -> PublicRequests:
    return public_requests_open()
