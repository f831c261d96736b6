"""Playwright in a thread of its own, axe-core checks and screenshots for the browser tests.

Why a thread: Playwright's sync API keeps an asyncio loop marked as running in the thread that
started it, for as long as it lives. Django refuses database work in such a thread
(`SynchronousOnlyOperation`), and so would every later test that the same pytest-xdist worker
runs. So Playwright runs in one dedicated thread for the whole session, and the tests drive it
through `Remote` proxies that forward each call there; the test's own thread keeps using the
ORM as usual, with no asyncio loop in sight.
"""

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE_PATH = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
# Debian's Chromium; Playwright's own browser download is never used.
CHROMIUM = Path(os.environ.get("CIVICDESK_CHROMIUM", "/usr/bin/chromium"))
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

VIEWPORTS: dict[str, dict[str, Any]] = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}
LOCALES = {"en": "en-US", "es": "es-US"}


def screenshot_dir() -> Path:
    configured = os.environ.get("CIVICDESK_SCREENSHOT_DIR")
    folder = Path(configured) if configured else ROOT / "var" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class BrowserThread:
    """One thread that owns Playwright and the browser; every Playwright call runs there."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="playwright")
        self._thread_id: int | None = None
        self._playwright: Any = None
        self.browser: Any = None

    def call(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if threading.get_ident() == self._thread_id:
            # An event handler that Playwright runs in its own thread.
            return function(*args, **kwargs)
        return self._executor.submit(function, *args, **kwargs).result()

    def wrap(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.wrap(item) for item in value]
        if type(value).__module__.startswith("playwright."):
            return Remote(self, value)
        return value

    def start(self) -> None:
        def launch() -> None:
            from playwright.sync_api import expect, sync_playwright

            # Actions wait up to 10 s (set per context); assertions as long, for loaded machines.
            expect.set_options(timeout=10_000)

            self._thread_id = threading.get_ident()
            self._playwright = sync_playwright().start()
            # Root (CI, containers) cannot use Chromium's user-namespace sandbox.
            args = ["--no-sandbox"] if os.geteuid() == 0 else []
            self.browser = self._playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=args
            )

        self.call(launch)

    def new_context(self, **options: Any) -> "Remote":
        return self.wrap(self.call(self.browser.new_context, **options))

    def expect(self, remote: "Remote") -> "Remote":
        from playwright.sync_api import expect

        return self.wrap(self.call(expect, remote._target))

    def stop(self) -> None:
        def close() -> None:
            if self.browser is not None:
                self.browser.close()
            if self._playwright is not None:
                self._playwright.stop()

        try:
            self.call(close)
        finally:
            self._executor.shutdown(wait=True)


def _unwrap(value: Any) -> Any:
    if isinstance(value, Remote):
        return value._target
    if isinstance(value, list):
        return [_unwrap(item) for item in value]
    return value


class Remote:
    """A Playwright object (page, locator, keyboard…) used from another thread.

    Attribute reads and method calls run in the browser thread; Playwright objects they return
    come back wrapped in turn, so tests read like plain Playwright code.
    """

    __slots__ = ("_target", "_thread")

    def __init__(self, thread: BrowserThread, target: Any) -> None:
        object.__setattr__(self, "_thread", thread)
        object.__setattr__(self, "_target", target)

    def __getattr__(self, name: str) -> Any:
        value = self._thread.call(getattr, self._target, name)
        if callable(value) and not type(value).__module__.startswith("playwright."):

            def method(*args: Any, **kwargs: Any) -> Any:
                args = tuple(_unwrap(argument) for argument in args)
                kwargs = {key: _unwrap(argument) for key, argument in kwargs.items()}
                return self._thread.wrap(self._thread.call(value, *args, **kwargs))

            return method
        return self._thread.wrap(value)

    def __enter__(self) -> Any:
        return self._thread.wrap(self._thread.call(self._target.__enter__))

    def __exit__(self, *exc: Any) -> Any:
        return self._thread.call(self._target.__exit__, *exc)

    def __repr__(self) -> str:
        return f"Remote({self._target!r})"


@dataclass
class Violation:
    page: str
    rule: str
    impact: str
    help: str
    help_url: str
    nodes: list[tuple[str, str]]

    def describe(self) -> str:
        lines = [f"[{self.page}] {self.rule} ({self.impact}): {self.help}", f"  {self.help_url}"]
        for target, summary in self.nodes:
            lines.append(f"  - {target}")
            lines.extend(f"      {line}" for line in summary.splitlines() if line.strip())
        return "\n".join(lines)


_AXE_RUN = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => [
      n.target.map((t) => (Array.isArray(t) ? t.join(" >>> ") : t)).join(", "),
      n.failureSummary || "",
    ]),
  }));
}"""


# A page loaded with JavaScript off cannot run axe (its timers never fire), so its DOM, as
# rendered without scripts (the <noscript> parts in place, no <script>), is audited in a page
# that can; the <base> keeps its styles and images loading from the same server.
_STATIC_COPY = """() => {
  const root = document.documentElement.cloneNode(true);
  root.querySelectorAll("script").forEach((script) => script.remove());
  root.querySelectorAll("noscript").forEach((tag) => tag.replaceWith(...tag.childNodes));
  const base = document.createElement("base");
  base.href = document.URL;
  root.querySelector("head").prepend(base);
  return "<!doctype html>" + root.outerHTML;
}"""


class AxeAudit:
    """Runs axe-core's WCAG 2.1 A and AA rules in pages and collects what they find."""

    def __init__(self, pages: "BrowserPages") -> None:
        self._pages = pages
        self.checked: list[str] = []
        self.violations: list[Violation] = []

    def check(self, page: Remote, label: str) -> list[Violation]:
        viewport, language, javascript = self._pages.options[page._target]
        if not javascript:
            html = page.evaluate(_STATIC_COPY)
            helper = self._pages.open(viewport, language)
            try:
                helper.set_content(html)
                return self._run(helper, label)
            finally:
                helper.close()
        return self._run(page, label)

    def _run(self, page: Remote, label: str) -> list[Violation]:
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.add_script_tag(content=AXE_SOURCE_PATH.read_text(encoding="utf-8"))
        found = [
            Violation(
                page=label,
                rule=item["id"],
                impact=item["impact"],
                help=item["help"],
                help_url=item["helpUrl"],
                nodes=[(target, summary) for target, summary in item["nodes"]],
            )
            for item in page.evaluate(_AXE_RUN, WCAG_TAGS)
        ]
        self.checked.append(label)
        self.violations.extend(found)
        return found

    def assert_clean(self) -> None:
        assert self.checked, "axe checked no page"
        assert not self.violations, (
            f"axe-core found {len(self.violations)} WCAG 2.1 A/AA violation(s) in "
            f"{len({v.page for v in self.violations})} of {len(self.checked)} page(s):\n"
            + "\n".join(violation.describe() for violation in self.violations)
        )


class BrowserPages:
    """Opens pages as a resident would: on a phone or a desktop, in English or Spanish.

    Contexts (one per viewport, language and JavaScript setting) are made once per test process
    and kept; each test starts as a new visitor, with no cookies.
    """

    def __init__(self, thread: BrowserThread, contexts: dict[Any, Remote], base_url: str) -> None:
        self.thread = thread
        self.base_url = base_url
        self._contexts = contexts
        self._cleared: set[Any] = set()
        self.opened: list[Remote] = []
        self.options: dict[Any, tuple[str, str, bool]] = {}

    def open(self, viewport: str, language: str, *, javascript: bool = True) -> Remote:
        key = (viewport, language, javascript)
        context = self._contexts.get(key)
        if context is None:
            context = self.thread.new_context(
                base_url=self.base_url,
                locale=LOCALES[language],
                java_script_enabled=javascript,
                timezone_id="America/New_York",
                reduced_motion="reduce",
                **VIEWPORTS[viewport],
            )
            context.set_default_timeout(10_000)
            self._contexts[key] = context
        if key not in self._cleared:
            # No language cookie, session or CSRF token left from an earlier test.
            context.clear_cookies()
            self._cleared.add(key)
        page = context.new_page()
        self.opened.append(page)
        self.options[page._target] = key
        return page

    def expect(self, locator: Remote) -> Remote:
        return self.thread.expect(locator)

    def close(self) -> None:
        for page in self.opened:
            if not page.is_closed():
                page.close()


def screenshot(page: Remote, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG for people to look at, e.g. `home-en-phone.png`: the whole page, or only
    the viewport (for what covers it, like the phone's open menu)."""
    path = screenshot_dir() / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    return path
