"""The report flow's "Is this the same problem?" step, and following a report instead.

After the location step, open reports of the same problem nearby are listed with what, where,
when and status. Choosing one follows it the way the track page does (at once when signed in,
by a confirmation email otherwise) and ends the flow without a new case; "Mine is a different
problem" goes on to the next step. Plain forms and links: no JavaScript needed.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_safe

from civicdesk.cases.duplicates import DuplicateCandidate
from civicdesk.cases.selectors import case_get_by_reference
from civicdesk.catalog.models import ServiceType
from civicdesk.people.selectors import case_follow_active_get
from civicdesk.people.services.follows import case_follow_start
from civicdesk.portal.account.forms import EmailForm
from civicdesk.portal.account.ratelimit import email_link_limit_check
from civicdesk.portal.account.session import current_resident, sign_in_url
from civicdesk.portal.account.views import limit_message, send_failed_message
from civicdesk.portal.follow import (
    follow_confirmation_send,
    follow_link_hours,
    following_message,
    following_receipt_send,
    track_url,
)
from civicdesk.portal.report.draft import ReportDraft, Step, draft_get, draft_mark_followed
from civicdesk.portal.report.duplicates import draft_duplicate_get, draft_duplicates
from civicdesk.portal.report.photos import photos_discard
from civicdesk.portal.report.views import (
    _next_url,
    _render,
    _returning,
    _service_or_404,
    _step_context,
    draft_step,
    step_url,
)
from civicdesk.portal.selectors import public_request_get

FOLLOW_FORM_PREFIX = "follow"


def nearby_url(draft: ReportDraft, *, returning: bool = False) -> str:
    url = reverse("portal:report-nearby", args=[draft.service_code, draft.id])
    return f"{url}?from=review" if returning else url


def _follow_url(draft: ReportDraft, reference: str) -> str:
    return reverse("portal:report-follow-instead", args=[draft.service_code, draft.id, reference])


def followed_url(draft: ReportDraft) -> str:
    return reverse("portal:report-followed", args=[draft.service_code, draft.id])


@require_safe
@draft_step(Step.PHOTOS)
def nearby(request: HttpRequest, service: ServiceType, draft: ReportDraft) -> HttpResponse:
    """Open reports of the same problem close by: "is this yours? follow it instead"."""
    found = draft_duplicates(service_type=service, draft=draft)
    if not found:
        return HttpResponseRedirect(_next_url(request, draft, Step.LOCATION))
    context = _step_context(
        request,
        service,
        draft,
        Step.LOCATION,
        heading=gettext("Is this the same problem?"),
        nearby=[
            {
                "item": item,
                "metres": round(item.distance_metres),
                "follow_url": _follow_url(draft, item.reference),
            }
            for item in found
        ],
        resident=current_resident(request),
        continue_url=_next_url(request, draft, Step.LOCATION),
    )
    context["back_url"] = step_url(draft, Step.LOCATION, returning=_returning(request))
    return _render(request, "portal/report/nearby.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@draft_step(Step.PHOTOS)
def follow_instead(
    request: HttpRequest, service: ServiceType, draft: ReportDraft, reference: str
) -> HttpResponse:
    """Follow one of the reports offered instead of sending a new one."""
    candidate = draft_duplicate_get(service_type=service, draft=draft, reference=reference)
    case = case_get_by_reference(reference) if candidate is not None else None
    if candidate is None or case is None:
        # Closed or merged since the list was shown: show what is open now.
        return HttpResponseRedirect(nearby_url(draft))
    resident = current_resident(request)
    form = EmailForm(prefix=FOLLOW_FORM_PREFIX)
    status = 200
    if request.method == "POST" and resident is not None:
        following, started = case_follow_start(resident=resident, case=case)
        if started:
            following_receipt_send(request, following, resident=resident)
        draft_mark_followed(request.session, draft, reference=case.reference)
        return HttpResponseRedirect(followed_url(draft))
    if request.method == "POST":
        form = EmailForm(request.POST, prefix=FOLLOW_FORM_PREFIX)
        status = 400
        if form.is_valid():
            email = form.cleaned_data["email"]
            hit = email_link_limit_check(request, email=email)
            if hit is not None:
                form.add_error("email", limit_message(hit))
                response = _follow_page(request, service, draft, candidate, form, status=429)
                response["Retry-After"] = str(hit.retry_after_seconds)
                return response
            if follow_confirmation_send(
                request, email=email, case=case, service_name=candidate.service_name
            ):
                draft_mark_followed(request.session, draft, reference=case.reference, email=email)
                return HttpResponseRedirect(followed_url(draft))
            form.add_error("email", send_failed_message())
            status = 503
    return _follow_page(request, service, draft, candidate, form, status=status)


def _follow_page(
    request: HttpRequest,
    service: ServiceType,
    draft: ReportDraft,
    candidate: DuplicateCandidate,
    form: EmailForm,
    *,
    status: int = 200,
) -> HttpResponse:
    summary = [
        {"href": f"#{form['email'].auto_id}", "text": error}
        for error in form.errors.get("email", [])
    ]
    context: dict[str, Any] = _step_context(
        request,
        service,
        draft,
        Step.LOCATION,
        heading=gettext("Follow request %(reference)s") % {"reference": candidate.reference},
        item=candidate,
        form=form,
        summary=summary,
        resident=current_resident(request),
        sign_in_url=sign_in_url(_follow_url(draft, candidate.reference)),
        hours=follow_link_hours(),
        continue_url=_next_url(request, draft, Step.LOCATION),
    )
    context["back_url"] = nearby_url(draft, returning=_returning(request))
    return _render(request, "portal/report/follow_instead.html", context, status=status)


@require_safe
def followed(request: HttpRequest, code: str, draft_id: str) -> HttpResponse:
    """The end of a report that became a follow: no new case, and what happens next."""
    service = _service_or_404(code)
    draft = draft_get(request.session, draft_id=draft_id, service_code=service.code)
    if draft is None:
        return _render(request, "portal/report/expired.html", {"service": service}, status=404)
    if not draft.followed:
        return HttpResponseRedirect(step_url(draft, draft.next_open_step(Step.REVIEW)))
    photos_discard(draft_id=draft.id)
    resident = current_resident(request)
    message = ""
    if resident is not None and not draft.follow_email:
        follow = case_follow_active_get(resident=resident, case_reference=draft.followed)
        message = following_message(follow) if follow else ""
    return _render(
        request,
        "portal/report/followed.html",
        {
            "service": service,
            "reference": draft.followed,
            "email": draft.follow_email,
            "following_message": message,
            "found": public_request_get(draft.followed),
            "check_url": track_url(draft.followed),
        },
    )
