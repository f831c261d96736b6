"""Checking external links: does the address still answer, and where does it end up?

A GET (many servers refuse HEAD) whose body is never read; redirects are followed one hop at a
time so a moved page is reported as moved, with where it went. Anything but a final 2xx is
broken: a 4xx or 5xx, a timeout, a refused connection, an unknown host, a redirect loop.
"""

import http.client
import socket
import ssl
import urllib.error
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

USER_AGENT = "CivicDesk link checker"
MAX_REDIRECTS = 5
DEFAULT_TIMEOUT = 10.0
DEFAULT_WORKERS = 8


@dataclass(frozen=True)
class LinkResult:
    """What one check found. `status_code` is the last response's; `final_url` where it ended."""

    url: str
    ok: bool
    status_code: int | None = None
    final_url: str = ""
    redirected: bool = False
    error: str = ""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        # Returning None makes urllib raise the 3xx as an HTTPError: each hop is seen here.
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def _error_text(error: BaseException) -> str:
    reason = getattr(error, "reason", None)
    if isinstance(error, TimeoutError | socket.timeout) or isinstance(reason, TimeoutError):
        return "timed out"
    if isinstance(reason, socket.gaierror):
        return "host not found"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, ssl.SSLError):
        return f"TLS error: {reason.reason or reason}"
    return str(reason or error)[:300] or error.__class__.__name__


def link_check(url: str, *, timeout: float = DEFAULT_TIMEOUT) -> LinkResult:
    """Check one http(s) address, following up to five redirects."""
    current = url
    redirected = False
    for _hop in range(MAX_REDIRECTS + 1):
        if urlsplit(current).scheme not in {"http", "https"}:
            return LinkResult(
                url,
                ok=False,
                final_url=current,
                redirected=redirected,
                error="not an http or https address",
            )
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked just above
            current, method="GET", headers={"User-Agent": USER_AGENT, "Accept": "*/*"}
        )
        try:
            with _OPENER.open(request, timeout=timeout) as response:
                status = int(response.status)
        except urllib.error.HTTPError as error:
            status = error.code
            location = error.headers.get("Location") if error.headers else None
            error.close()
            if 300 <= status < 400 and location:
                current = urljoin(current, location)
                redirected = True
                continue
            return LinkResult(
                url,
                ok=False,
                status_code=status,
                final_url=current,
                redirected=redirected,
                error=f"HTTP {status}",
            )
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
            return LinkResult(
                url, ok=False, final_url=current, redirected=redirected, error=_error_text(error)
            )
        ok = 200 <= status < 300
        return LinkResult(
            url,
            ok=ok,
            status_code=status,
            final_url=current,
            redirected=redirected,
            error="" if ok else f"HTTP {status}",
        )
    return LinkResult(
        url,
        ok=False,
        final_url=current,
        redirected=True,
        error=f"more than {MAX_REDIRECTS} redirects",
    )


def links_check_many(
    urls: Iterable[str], *, timeout: float = DEFAULT_TIMEOUT, workers: int = DEFAULT_WORKERS
) -> dict[str, LinkResult]:
    """Check each distinct address once, several at a time."""
    distinct = list(dict.fromkeys(urls))
    if not distinct:
        return {}
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(distinct)))) as pool:
        results = pool.map(lambda u: link_check(u, timeout=timeout), distinct)
        return {result.url: result for result in results}
