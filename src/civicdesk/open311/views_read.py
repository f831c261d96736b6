"""The GET side of Open311 GeoReport v2: discovery, services, requests and the updates feed.

Views only parse, call a selector and serialize; every answer, errors included, comes in the
format of the URL suffix, and every read may be made from a web page on another origin.
"""

import functools
from collections.abc import Callable, Sequence
from typing import Concatenate, ParamSpec

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from civicdesk.core.revisions import CATALOG, REQUESTS
from civicdesk.open311 import selectors, serializers
from civicdesk.open311.cors import cors_allow, cors_preflight
from civicdesk.open311.endpoint import (
    open311_discovery_view,
    open311_view,
    request_format,
    request_jurisdiction,
)
from civicdesk.open311.formats import Format, error_response, render
from civicdesk.open311.jurisdictions import ServedJurisdiction, jurisdictions_served
from civicdesk.open311.params import (
    ParamError,
    parse_detail_query,
    parse_request_query,
    parse_update_query,
)
from civicdesk.open311.public_cache import cached_read

P = ParamSpec("P")
View = Callable[Concatenate[HttpRequest, P], HttpResponse]

READ_METHODS = ("GET", "HEAD", "OPTIONS")
COLLECTION_METHODS = ("GET", "HEAD", "POST", "OPTIONS")
# Reads (and their preflights) are open to every origin; POST is not, see cors.py.
CORS_METHODS = frozenset(READ_METHODS)
MAX_ECHO = 100


def _method_not_allowed(request: HttpRequest, *, allowed: Sequence[str]) -> HttpResponse:
    response = error_response(
        request_format(request),
        [(405, f"{request.method} is not allowed here; use {', '.join(allowed)}.")],
        status=405,
    )
    response["Allow"] = ", ".join(allowed)
    return response


def _param_error(fmt: Format, error: ParamError) -> HttpResponse:
    return error_response(fmt, [(400, f"{error.name}: {error.message}")], status=400)


def _with_cors(view: View[P]) -> View[P]:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if request.method in CORS_METHODS:
            cors_allow(response)
        return response

    return wrapped


def _reads_only(
    view: View[P], *, allow: Sequence[str], guard: Callable[[View[P]], View[P]] = open311_view
) -> View[P]:
    checked = guard(view)

    # The method is checked before open311_view, whose jurisdiction check would parse a POST
    # body; a broken multipart body must get the 405, not a parser error. No cookies are read,
    # so CSRF protection has nothing to protect, and it would answer a POST with an HTML 403.
    @csrf_exempt
    @functools.wraps(view)
    def wrapped(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if request.method == "OPTIONS":
            return cors_preflight(allow=allow, cors_methods=READ_METHODS)
        if request.method not in ("GET", "HEAD"):
            return _method_not_allowed(request, allowed=allow)
        return checked(request, *args, **kwargs)

    return _with_cors(wrapped)


def read_endpoint(view: View[P]) -> View[P]:
    """A GET-only Open311 endpoint: preflight, 405 for other methods, CORS, errors in format."""
    return _reads_only(view, allow=READ_METHODS)


def _absolute_url(request: HttpRequest) -> serializers.AbsoluteUrl:
    return request.build_absolute_uri


def _case_jurisdiction(jurisdiction: ServedJurisdiction | None) -> str | None:
    """The cases to show: that jurisdiction's, or all on a single-jurisdiction server."""
    return jurisdiction.jurisdiction_id if jurisdiction is not None else None


def discovery_endpoint(view: View[P]) -> View[P]:
    """`read_endpoint` for discovery, the one call that may leave `jurisdiction_id` out."""
    return _reads_only(view, allow=READ_METHODS, guard=open311_discovery_view)


@discovery_endpoint
def discovery(request: HttpRequest, fmt: Format) -> HttpResponse:
    """GET discovery.{fmt}: the endpoint's address, specification and formats, and on a server
    with several jurisdictions, the one named or else all of them."""
    own_url = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt}))
    endpoint_url = own_url.rsplit("/", 1)[0] + "/"
    named = request_jurisdiction(request, required=False)
    jurisdictions = (named,) if named is not None else jurisdictions_served()
    document = serializers.discovery_document(
        endpoint_url=endpoint_url, jurisdictions=jurisdictions
    )
    return render(fmt, root="discovery", data=document)


@read_endpoint
@cached_read(CATALOG)
def service_list(request: HttpRequest, fmt: Format) -> HttpResponse:
    """GET services.{fmt}: the public services (of the jurisdiction named, when several)."""
    jurisdiction = request_jurisdiction(request)
    codes = jurisdiction.service_codes if jurisdiction is not None else None
    services = selectors.open311_service_list(codes=codes)
    items = [serializers.service_item(service) for service in services]
    return render(fmt, root="services", data=items)


@read_endpoint
@cached_read(CATALOG)
def service_definition(request: HttpRequest, code: str, fmt: Format) -> HttpResponse:
    """GET services/{code}.{fmt}: one service's attributes; 404 for an unknown code, or one the
    jurisdiction named does not offer."""
    jurisdiction = request_jurisdiction(request)
    if jurisdiction is not None and not jurisdiction.offers(code):
        return error_response(
            fmt,
            [(404, f"No service has the code '{code[:MAX_ECHO]}' in {jurisdiction.name}.")],
            status=404,
        )
    service_type = selectors.open311_service_get(code=code)
    if service_type is None:
        return error_response(
            fmt, [(404, f"No service has the code '{code[:MAX_ECHO]}'.")], status=404
        )
    return render(fmt, root="service_definition", data=serializers.service_definition(service_type))


@cached_read(CATALOG, REQUESTS)
def _request_list(request: HttpRequest, fmt: Format) -> HttpResponse:
    jurisdiction = _case_jurisdiction(request_jurisdiction(request))
    try:
        query = parse_request_query(request.GET)
    except ParamError as error:
        return _param_error(fmt, error)
    if query.extensions:
        records = serializers.request_records(
            selectors.open311_request_list(query=query, jurisdiction=jurisdiction),
            extensions=True,
            absolute_url=_absolute_url(request),
        )
    else:
        records = serializers.request_records_from_values(
            selectors.open311_request_values(query=query, jurisdiction=jurisdiction),
            absolute_url=_absolute_url(request),
        )
    return render(fmt, root="service_requests", data=records)


_request_list_endpoint = _reads_only(_request_list, allow=COLLECTION_METHODS)


@csrf_exempt  # POST is authenticated by api_key, never by a cookie.
def requests_collection(request: HttpRequest, fmt: Format) -> HttpResponse:
    """requests.{fmt}: POST creates a request (views_write), every other method reads."""
    if request.method == "POST":
        # Straight through, unwrapped: the write side reads the body itself, strictly, before
        # anything touches request.POST, and wraps its own work in open311_view. Imported on
        # use so a failure to load the write side cannot take the reads down.
        from civicdesk.open311 import views_write

        return views_write.requests_create(request, fmt)
    return _request_list_endpoint(request, fmt)


@read_endpoint
@cached_read(CATALOG, REQUESTS)
def request_detail(request: HttpRequest, request_id: str, fmt: Format) -> HttpResponse:
    """GET requests/{id}.{fmt}: a list of one request; 404 for an unknown id, or a request of
    another jurisdiction."""
    jurisdiction = _case_jurisdiction(request_jurisdiction(request))
    try:
        extensions = parse_detail_query(request.GET)
    except ParamError as error:
        return _param_error(fmt, error)
    case = selectors.open311_request_get(reference=request_id, jurisdiction=jurisdiction)
    if case is None:
        return error_response(
            fmt,
            [(404, f"No service request has the id '{request_id[:MAX_ECHO]}'.")],
            status=404,
        )
    record = serializers.request_record(
        case, extensions=extensions, absolute_url=_absolute_url(request)
    )
    return render(fmt, root="service_requests", data=[record])


@read_endpoint
def token_detail(request: HttpRequest, token: str, fmt: Format) -> HttpResponse:
    """GET tokens/{token}.{fmt}: answered by the write side, which issues the tokens."""
    from civicdesk.open311 import views_write

    return views_write.token_detail(request, token, fmt)


@read_endpoint
@cached_read(CATALOG, REQUESTS)
def request_updates(request: HttpRequest, fmt: Format) -> HttpResponse:
    """GET servicerequestupdates.{fmt}: public updates in a window, oldest first."""
    jurisdiction = _case_jurisdiction(request_jurisdiction(request))
    try:
        query = parse_update_query(request.GET)
    except ParamError as error:
        return _param_error(fmt, error)
    updates = selectors.open311_update_list(query=query, jurisdiction=jurisdiction)
    records = serializers.update_records(updates, absolute_url=_absolute_url(request))
    return render(fmt, root="service_request_updates", data=records)


@csrf_exempt
@_with_cors
def unknown_endpoint(request: HttpRequest, path: str) -> HttpResponse:
    """Anything else under /open311/v2/: a JSON 404, never an HTML page (nor a CSRF 403).

    Not wrapped in open311_view: nothing here can fail, and its jurisdiction check would parse
    the body of a stray POST.
    """
    return error_response(
        "json",
        [
            (
                404,
                f"No Open311 endpoint at '{path[:MAX_ECHO]}'. Endpoints end in .json or .xml; "
                "see discovery.json.",
            )
        ],
        status=404,
    )
