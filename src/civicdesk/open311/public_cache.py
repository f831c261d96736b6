"""Rendered public reads, kept per process until the data behind them changes.

Open311 lists are read far more often than requests are written, and most clients poll the same
few addresses. An answer is stored under its full URL with the revisions of the data it shows
(the catalog and the jurisdictions served, the requests); a write to either moves its revision,
and the next read renders afresh. The key holds the query string, `jurisdiction_id` included, so
each jurisdiction's answers are their own. Answers also expire after
`CIVICDESK_PUBLIC_CACHE_SECONDS`, because the default request window ends "now". Every stored
answer carries a strong ETag, so a client polling with If-None-Match gets a 304 with no body.
"""

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Concatenate, ParamSpec

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified

from civicdesk.core.revisions import CATALOG, RevisionLRU, revisions_get
from civicdesk.open311.jurisdictions import jurisdictions_sync

P = ParamSpec("P")
View = Callable[Concatenate[HttpRequest, P], HttpResponse]

MAX_STORED_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class _Stored:
    content: bytes
    content_type: str
    etag: str


_answers: RevisionLRU[_Stored] = RevisionLRU(size=512)


def public_cache_clear() -> None:
    _answers.clear()


def _if_none_match(request: HttpRequest, etag: str) -> bool:
    # META, not request.headers, which copies every header of the request when first used.
    header = request.META.get("HTTP_IF_NONE_MATCH", "")
    return any(tag.strip() in (etag, "*") for tag in header.split(","))


def _respond(request: HttpRequest, stored: _Stored) -> HttpResponse:
    if _if_none_match(request, stored.etag):
        not_modified = HttpResponseNotModified()
        not_modified["ETag"] = stored.etag
        return not_modified
    response = HttpResponse(stored.content, content_type=stored.content_type)
    response["ETag"] = stored.etag
    return response


def cached_read(*revisions: str) -> Callable[[View[P]], View[P]]:
    """Serve a GET view's 200 answers from the per-process store while `revisions` stand."""

    def decorate(view: View[P]) -> View[P]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            max_age = float(settings.CIVICDESK_PUBLIC_CACHE_SECONDS)
            # Inside a transaction (tests, or a caller's atomic block) the rows read may yet be
            # rolled back, so nothing read there is stored or trusted.
            if max_age <= 0 or request.method not in ("GET", "HEAD") or connection.in_atomic_block:
                return view(request, *args, **kwargs)
            stamp = revisions_get(revisions)
            if CATALOG in revisions:
                # The answer depends on the jurisdiction table too, which moves with the catalog.
                jurisdictions_sync(catalog_revision=stamp[revisions.index(CATALOG)])
            key = request.build_absolute_uri()
            stored = _answers.get(key, revision=stamp, max_age=max_age)
            if stored is not None:
                return _respond(request, stored)
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming:
                return response
            content = response.content
            if len(content) > MAX_STORED_BYTES:
                return response
            stored = _Stored(
                content=content,
                content_type=response["Content-Type"],
                etag=f'"{hashlib.sha256(content).hexdigest()[:32]}"',
            )
            _answers.put(key, stored, revision=stamp)
            return _respond(request, stored)

        return wrapped

    return decorate
