"""Pages of the resident portal. Thin: read through selectors, render, nothing else.

Every page works without JavaScript: forms are plain GET or POST, and the language switch is
Django's `set_language` view.
"""

from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_safe

from civicdesk.assistant.emergency import detect
from civicdesk.catalog.selectors import service_type_get_by_code
from civicdesk.portal.follow import follow_context
from civicdesk.portal.forms import TrackForm, reference_example
from civicdesk.portal.map import map_settings, request_filter
from civicdesk.portal.selectors import (
    public_request_get,
    service_type_groups_portal,
    service_type_search,
    top_task_list,
)


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """Render with times shown in the jurisdiction's zone, not the server's UTC."""
    with timezone.override(ZoneInfo(settings.CIVICDESK_JURISDICTION_TIMEZONE)):
        return render(request, template, context, status=status)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    if query:
        # The search box posts to the report page; an old or hand-made /?q= link still works.
        return HttpResponseRedirect(f"{reverse('portal:report')}?{urlencode({'q': query})}")
    return _render(
        request,
        "portal/home.html",
        {
            "nav": "home",
            "top_tasks": top_task_list(),
            "groups": service_type_groups_portal(),
            "reference_example": reference_example(),
        },
    )


@require_safe
def report(request: HttpRequest) -> HttpResponse:
    """Find the service for a problem: search, or browse every service by group."""
    query = request.GET.get("q", "").strip()[:200]
    context: dict[str, Any] = {"nav": "report", "query": query}
    if query:
        context["matches"] = service_type_search(query)
        # "my basement is flooding" is not a search for a service: call 911 comes first.
        context["emergency"] = detect(query, get_language()).category or ""
    else:
        context["groups"] = service_type_groups_portal()
    return _render(request, "portal/report.html", context)


@require_safe
def report_service(request: HttpRequest, code: str) -> HttpResponse:
    """What reporting one kind of problem involves: what happens next, what we will ask."""
    service = service_type_get_by_code(code)
    if service is None or not service.is_public:
        raise Http404("No such service.")
    # What the resident already wrote (to the assistant), carried into the report when it starts.
    prefill = request.GET.get("description", "").strip()[
        : settings.CIVICDESK_MAX_DESCRIPTION_LENGTH
    ]
    context = {"nav": "report", "service": service, "prefill": prefill}
    return _render(request, "portal/report_service.html", context)


@require_safe
def track(request: HttpRequest) -> HttpResponse:
    """Check a request by reference: its public status and timeline, never who reported it."""
    context: dict[str, Any] = {"nav": "track", "reference_example": reference_example()}
    if "reference" in request.GET:
        form = TrackForm(request.GET)
        if form.is_valid():
            found = public_request_get(form.cleaned_data["reference"])
            if found is None:
                form.add_error("reference", _not_found_message(form.cleaned_data["reference"]))
            context["found"] = found
            context.update(follow_context(request, found))
    else:
        form = TrackForm()
    context["form"] = form
    return _render(request, "portal/track.html", context)


def _not_found_message(reference: str) -> str:
    return gettext(
        "We could not find a request with the number %(reference)s. Check the number and try "
        "again, or call 311."
    ) % {"reference": reference}


@require_safe
def requests(request: HttpRequest) -> HttpResponse:
    """Public requests, newest first, a page at a time; no personal details.

    The map above the list (`portal.map`) shows the same page's points when JavaScript runs.
    """
    filters = request_filter(request)
    result = filters.page(request.GET.get("page"))
    page = result.page
    return _render(
        request,
        "portal/requests.html",
        {
            "nav": "requests",
            "form": filters.form,
            "rows": result.rows,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1),
            "filtered": filters.active,
            "map": map_settings(),
        },
    )
