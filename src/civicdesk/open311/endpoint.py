"""What every Open311 endpoint shares: the format from the URL, the jurisdiction check, and an
answer in the client's format even when something unexpected goes wrong."""

import functools
import logging
from collections.abc import Callable
from typing import Concatenate, ParamSpec

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError

from civicdesk.open311.formats import FORMATS, Format, error_response
from civicdesk.open311.jurisdictions import (
    JurisdictionRefused,
    ServedJurisdiction,
    jurisdiction_resolve,
)

logger = logging.getLogger(__name__)
P = ParamSpec("P")
View = Callable[Concatenate[HttpRequest, P], HttpResponse]


def _named_jurisdictions(request: HttpRequest) -> list[str] | None:
    try:
        params = request.POST if request.method == "POST" else request.GET
        return params.getlist("jurisdiction_id")
    except (SuspiciousOperation, MultiPartParserError, UnreadablePostError, ValueError):
        # An unreadable body is the parsing view's to report, with the precise reason.
        return None


def request_jurisdiction(
    request: HttpRequest, *, required: bool = True
) -> ServedJurisdiction | None:
    """The served jurisdiction a read names; None on a single-jurisdiction server.

    Raises JurisdictionRefused, which `open311_view` answers in the client's format.
    """
    return jurisdiction_resolve(request.GET.getlist("jurisdiction_id"), required=required)


def request_format(request: HttpRequest) -> Format:
    fmt = (request.resolver_match.kwargs.get("fmt") if request.resolver_match else None) or "json"
    return fmt if fmt in FORMATS else "json"


def _guarded(view: View[P], *, jurisdiction_required: bool) -> View[P]:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        try:
            named = _named_jurisdictions(request)
            if named is not None:
                jurisdiction_resolve(named, required=jurisdiction_required)
            return view(request, *args, **kwargs)
        except JurisdictionRefused as refused:
            return error_response(
                request_format(request),
                [(refused.status, refused.description)],
                status=refused.status,
            )
        except Exception:
            # Logged with the traceback for staff; the client still gets its own format.
            logger.exception("Open311 endpoint failed: %s %s", request.method, request.path)
            return error_response(
                request_format(request),
                [(500, "The server could not answer this request; it has been logged.")],
                status=500,
            )

    return wrapped


def open311_view(view: View[P]) -> View[P]:
    """Check the jurisdiction, and turn an unexpected failure into an Open311 error body.

    A server with several jurisdictions answers 400 to a call that names none.
    """
    return _guarded(view, jurisdiction_required=True)


def open311_discovery_view(view: View[P]) -> View[P]:
    """`open311_view` for discovery, which is how a client learns the ids: it may name none."""
    return _guarded(view, jurisdiction_required=False)
