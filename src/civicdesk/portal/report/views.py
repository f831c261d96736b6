"""The pages of the report flow. Thin: load the draft, run the step's form, keep, redirect.

Every step is a plain form that posts to itself and redirects to the next step when it is
valid (post/redirect/get); with errors it shows the page again, with what was typed, each error
next to its field and a summary at the top. Only the review step's submit writes anything.
"""

import contextlib
import functools
import logging
from collections.abc import Callable
from typing import Any, Concatenate
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from civicdesk.assistant.emergency import detect
from civicdesk.catalog.models import ServiceType
from civicdesk.catalog.selectors import service_type_get_by_code
from civicdesk.core.ratelimit import client_ip
from civicdesk.intake.services import IntakeError
from civicdesk.portal.report.draft import (
    STEP_LABELS,
    STEPS,
    ReportDraft,
    Step,
    draft_get,
    draft_mark_sent,
    draft_save,
    draft_start,
)
from civicdesk.portal.report.duplicates import draft_duplicates
from civicdesk.portal.report.forms import (
    ContactForm,
    DetailsForm,
    LocationForm,
    honeypot_filled,
)
from civicdesk.portal.report.photos import (
    MAX_PHOTOS,
    PhotoMissingError,
    photo_read,
    photo_remove,
    photos_add,
    photos_discard,
    photos_touch,
    request_size_limit,
    upload_size_limit,
)
from civicdesk.portal.report.selectors import jurisdiction_extent
from civicdesk.portal.report.submit import (
    Problem,
    draft_recheck,
    intake_problems,
    report_submit,
    submission_rate_check,
)
from civicdesk.portal.report.summary import answer_rows, error_summary, labelled, step_marks
from civicdesk.portal.selectors import public_request_get

logger = logging.getLogger(__name__)

StepView = Callable[Concatenate[HttpRequest, ServiceType, ReportDraft, ...], HttpResponse]
URL_NAMES = {
    Step.DETAILS: "portal:report-details",
    Step.LOCATION: "portal:report-location",
    Step.PHOTOS: "portal:report-photos",
    Step.CONTACT: "portal:report-contact",
    Step.REVIEW: "portal:report-review",
}


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """Render with times shown in the jurisdiction's zone, not the server's UTC."""
    with timezone.override(ZoneInfo(settings.CIVICDESK_JURISDICTION_TIMEZONE)):
        return render(request, template, {"nav": "report", **context}, status=status)


def _service_or_404(code: str) -> ServiceType:
    service = service_type_get_by_code(code)
    if service is None or not service.is_public:
        raise Http404("No such service.")
    return service


def step_url(draft: ReportDraft, step: Step, *, returning: bool = False) -> str:
    url = reverse(URL_NAMES[step], args=[draft.service_code, draft.id])
    return f"{url}?{urlencode({'from': 'review'})}" if returning else url


def _done_url(draft: ReportDraft) -> str:
    return reverse("portal:report-done", args=[draft.service_code, draft.id])


def _returning(request: HttpRequest) -> bool:
    """True when the resident came from the review page to change something."""
    # The step forms have no action, so they post to their page's URL, query string and all.
    return request.GET.get("from") == "review"


def _next_url(request: HttpRequest, draft: ReportDraft, step: Step) -> str:
    """Where a completed step leads: the next step, or back to the review page."""
    if _returning(request) and draft.next_open_step(Step.REVIEW) == Step.REVIEW:
        return step_url(draft, Step.REVIEW)
    following = STEPS[STEPS.index(step) + 1]
    return step_url(draft, draft.next_open_step(following))


def _save(request: HttpRequest, draft: ReportDraft) -> None:
    draft_save(request.session, draft)
    photos_touch(draft_id=draft.id)


def draft_step(step: Step | None) -> Callable[[StepView], Callable[..., HttpResponse]]:
    """Load the service and the draft for a step, or answer for the view.

    An unknown or expired draft gets the "start again" page; a sent one goes to its
    confirmation; a step whose earlier steps are not done sends the resident to the first of
    them. `step` None (the confirmation) only needs the draft to be sent.
    """

    def decorate(view: StepView) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, code: str, draft_id: str, **kwargs: Any) -> HttpResponse:
            service = _service_or_404(code)
            draft = draft_get(request.session, draft_id=draft_id, service_code=service.code)
            if draft is None:
                return _render(
                    request, "portal/report/expired.html", {"service": service}, status=404
                )
            if draft.followed:
                # The resident followed an open report instead (report.duplicate_views).
                return HttpResponseRedirect(
                    reverse("portal:report-followed", args=[draft.service_code, draft.id])
                )
            if step is None:
                if not draft.is_sent:
                    return HttpResponseRedirect(step_url(draft, draft.next_open_step(Step.REVIEW)))
            elif draft.is_sent:
                return HttpResponseRedirect(_done_url(draft))
            else:
                open_step = draft.next_open_step(step)
                if open_step != step:
                    return HttpResponseRedirect(step_url(draft, open_step))
            return view(request, service, draft, **kwargs)

        return wrapper

    return decorate


def _step_context(
    request: HttpRequest, service: ServiceType, draft: ReportDraft, step: Step, **extra: Any
) -> dict[str, Any]:
    returning = _returning(request)
    index = STEPS.index(step)
    if returning and step != Step.REVIEW:
        back_url = step_url(draft, Step.REVIEW)
    elif index == 0:
        back_url = reverse("portal:report-service", args=[service.code])
    else:
        back_url = step_url(draft, STEPS[index - 1])
    return {
        "service": service,
        "draft": draft,
        "step": step,
        "step_label": STEP_LABELS[step],
        "step_number": index + 1,
        "step_total": len(STEPS),
        "steps": step_marks(draft=draft, current=step),
        "back_url": back_url,
        "returning": returning,
        **extra,
    }


@require_POST
def start(request: HttpRequest, code: str) -> HttpResponse:
    """Begin a report of this service: a new draft, then its first step."""
    service = _service_or_404(code)
    # Cut to the form's own limit, so a pre-filled description never fails the first step.
    limit = settings.CIVICDESK_MAX_DESCRIPTION_LENGTH
    description = request.POST.get("description", "").strip()[:limit]
    draft = draft_start(request.session, service_code=service.code, description=description)
    return HttpResponseRedirect(step_url(draft, Step.DETAILS))


@require_http_methods(["GET", "HEAD", "POST"])
@draft_step(Step.DETAILS)
def details(request: HttpRequest, service: ServiceType, draft: ReportDraft) -> HttpResponse:
    """The service's own questions, and a description."""
    status = 200
    emergency = ""
    if request.method == "POST":
        form = DetailsForm(request.POST, service_type=service)
        if form.is_valid():
            draft.answers = form.answers()
            draft.description = form.cleaned_data["description"]
            emergency = _emergency(draft)
            if emergency and not request.POST.get("emergency_seen"):
                # Call 911 comes before anything else; the same form then goes on as usual.
                _save(request, draft)
            else:
                draft.complete(Step.DETAILS)
                _save(request, draft)
                return HttpResponseRedirect(_next_url(request, draft, Step.DETAILS))
        else:
            status = 400
    else:
        form = DetailsForm(initial=DetailsForm.initial_from(draft), service_type=service)
    context = _step_context(
        request,
        service,
        draft,
        Step.DETAILS,
        form=form,
        summary=error_summary(form),
        emergency=emergency,
    )
    return _render(request, "portal/report/details.html", context, status=status)


def _emergency(draft: ReportDraft) -> str:
    """The kind of emergency the resident's words describe ("" for none), read as intake will
    read them when the report is sent."""
    answers = [
        value if isinstance(value, str) else " ".join(value) for value in draft.answers.values()
    ]
    finding = detect("\n".join([draft.description, *answers]), get_language())
    return finding.category or ""


@require_http_methods(["GET", "HEAD", "POST"])
@draft_step(Step.LOCATION)
def location(request: HttpRequest, service: ServiceType, draft: ReportDraft) -> HttpResponse:
    """Where the problem is: an address, the device's location or a pin on the map."""
    status = 200
    if request.method == "POST":
        finding = request.POST.get("action") == "find"
        form = LocationForm(request.POST, finding=finding)
        valid = form.is_valid()
        if valid and form.place is not None:
            draft.address = form.place.address
            draft.lat, draft.long = form.place.lat, form.place.long
            draft.complete(Step.LOCATION)
            _save(request, draft)
            if draft_duplicates(service_type=service, draft=draft):
                url = reverse("portal:report-nearby", args=[service.code, draft.id])
                if _returning(request):
                    url += "?" + urlencode({"from": "review"})
                return HttpResponseRedirect(url)
            return HttpResponseRedirect(_next_url(request, draft, Step.LOCATION))
        status = 200 if valid else 400
    else:
        form = LocationForm(initial=LocationForm.initial_from(draft))
    tile_url = str(getattr(settings, "CIVICDESK_MAP_TILE_URL", ""))
    context = _step_context(
        request,
        service,
        draft,
        Step.LOCATION,
        form=form,
        summary=error_summary(form, radios=frozenset({"choice"} if form.matches else ())),
        map_tile_url=tile_url,
        map_attribution=str(getattr(settings, "CIVICDESK_MAP_TILE_ATTRIBUTION", "")),
        map_extent=jurisdiction_extent(),
        outlines_url=_outlines_url(),
    )
    return _render(request, "portal/report/location.html", context, status=status)


def _outlines_url() -> str:
    """The district outlines the public map draws (portal.map), for a map without tiles."""
    try:
        return reverse("portal:districts-geojson")
    except NoReverseMatch:
        return ""


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def photos(request: HttpRequest, code: str, draft_id: str) -> HttpResponse:
    """Photos and PDFs, up to five. A body too large for five files at the size limit is
    refused before it is read: nothing is parsed or kept, so there is nothing to protect with
    the CSRF check, which would have to read it."""
    if request.method == "POST" and _content_length(request) > request_size_limit():
        return _photos_too_large(request, code, draft_id)
    return _photos(request, code, draft_id)


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@draft_step(Step.PHOTOS)
def _photos_too_large(
    request: HttpRequest, service: ServiceType, draft: ReportDraft
) -> HttpResponse:
    message = gettext(
        "These files are too large together. Add them a few at a time, each smaller than "
        "%(megabytes)s MB."
    ) % {"megabytes": f"{upload_size_limit() / (1024 * 1024):g}"}
    return _photos_page(request, service, draft, errors=[message], status=413)


@csrf_protect
@draft_step(Step.PHOTOS)
def _photos(request: HttpRequest, service: ServiceType, draft: ReportDraft) -> HttpResponse:
    if request.method != "POST":
        return _photos_page(request, service, draft)
    action = request.POST.get("action", "continue")
    if action.startswith("remove-"):
        with contextlib.suppress(ValueError):
            photo_remove(draft=draft, index=int(action.removeprefix("remove-")))
        _save(request, draft)
        return HttpResponseRedirect(step_url(draft, Step.PHOTOS, returning=_returning(request)))
    files = request.FILES.getlist("photos")
    errors: list[str] = []
    if files or action == "upload":
        errors = photos_add(draft=draft, uploads=files)
    if errors:
        return _photos_page(request, service, draft, errors=errors, status=400)
    if action == "upload":
        _save(request, draft)
        return HttpResponseRedirect(step_url(draft, Step.PHOTOS, returning=_returning(request)))
    draft.complete(Step.PHOTOS)
    _save(request, draft)
    return HttpResponseRedirect(_next_url(request, draft, Step.PHOTOS))


def _photos_page(
    request: HttpRequest,
    service: ServiceType,
    draft: ReportDraft,
    *,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = _step_context(
        request,
        service,
        draft,
        Step.PHOTOS,
        errors=errors or [],
        summary=[{"href": "#photos", "text": error} for error in errors or []],
        max_photos=MAX_PHOTOS,
        room=MAX_PHOTOS - len(draft.photos),
        megabytes=f"{upload_size_limit() / (1024 * 1024):g}",
    )
    return _render(request, "portal/report/photos.html", context, status=status)


@require_safe
@draft_step(Step.PHOTOS)
def photo(
    request: HttpRequest, service: ServiceType, draft: ReportDraft, index: int
) -> HttpResponse:
    """One waiting photo, for its preview; only in the session that added it."""
    if not 0 <= index < len(draft.photos):
        raise Http404("No such photo.")
    item = draft.photos[index]
    try:
        content = photo_read(draft=draft, photo=item)
    except PhotoMissingError as error:
        raise Http404("Photo gone.") from error
    response = HttpResponse(content, content_type=item.content_type)
    disposition = "inline" if item.is_image else "attachment"
    response["Content-Disposition"] = (
        f'{disposition}; filename="photo-{index + 1}.{item.extension}"'
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@draft_step(Step.CONTACT)
def contact(request: HttpRequest, service: ServiceType, draft: ReportDraft) -> HttpResponse:
    """Optional contact details, and whether to send updates."""
    status = 200
    if request.method == "POST":
        if honeypot_filled(request.POST):
            return _refuse_automated(request, service, draft)
        form = ContactForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            draft.first_name, draft.last_name = data["first_name"], data["last_name"]
            draft.email, draft.phone = data["email"], data["phone"]
            draft.consent_updates = bool(data["consent_updates"])
            draft.complete(Step.CONTACT)
            _save(request, draft)
            return HttpResponseRedirect(_next_url(request, draft, Step.CONTACT))
        status = 400
    else:
        form = ContactForm(initial=ContactForm.initial_from(draft))
    context = _step_context(
        request, service, draft, Step.CONTACT, form=form, summary=error_summary(form)
    )
    return _render(request, "portal/report/contact.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@draft_step(Step.REVIEW)
def review(request: HttpRequest, service: ServiceType, draft: ReportDraft) -> HttpResponse:
    """Everything at a glance with links to change it, then the one submit that writes."""
    if request.method != "POST":
        return _review_page(request, service, draft)
    if honeypot_filled(request.POST):
        return _refuse_automated(request, service, draft)
    problems = draft_recheck(service_type=service, draft=draft)
    if problems:
        return _review_page(request, service, draft, problems=problems, status=400)
    decision = submission_rate_check(draft=draft, ip=client_ip(request))
    if not decision.allowed:
        minutes = max(1, round(decision.retry_after / 60))
        response = _render(
            request,
            "portal/report/limited.html",
            {"service": service, "minutes": minutes},
            status=429,
        )
        response["Retry-After"] = str(decision.retry_after)
        return response
    try:
        case = report_submit(draft=draft, service_type=service, language=get_language() or "en")
    except PhotoMissingError:
        draft.photos = []
        draft.completed.remove(Step.PHOTOS.value)
        _save(request, draft)
        message = gettext(
            "Your photos are no longer here, because the report was left open for a long time. "
            "Add them again, or continue without them."
        )
        problems = [Problem(step=Step.PHOTOS, field="photos", message=message)]
        return _review_page(request, service, draft, problems=problems, status=400)
    except IntakeError as error:
        return _review_page(request, service, draft, problems=intake_problems(error), status=400)
    draft_mark_sent(request.session, draft, reference=case.reference, emergency=_emergency(draft))
    return HttpResponseRedirect(_done_url(draft))


def _review_page(
    request: HttpRequest,
    service: ServiceType,
    draft: ReportDraft,
    *,
    problems: list[Problem] | None = None,
    status: int = 200,
) -> HttpResponse:
    summary = [
        {
            "text": labelled(
                str(STEP_LABELS[problem.step]) if problem.step else "", problem.message
            ),
            "href": (
                f"{step_url(draft, problem.step, returning=True)}#{problem.field}"
                if problem.step
                else reverse("portal:report-service", args=[service.code])
            ),
        }
        for problem in problems or []
    ]
    context = _step_context(
        request,
        service,
        draft,
        Step.REVIEW,
        answers=answer_rows(service_type=service, draft=draft),
        summary=summary,
        change_urls={step.value: step_url(draft, step, returning=True) for step in STEPS},
        emergency=_emergency(draft),
    )
    return _render(request, "portal/report/review.html", context, status=status)


def _refuse_automated(
    request: HttpRequest, service: ServiceType, draft: ReportDraft
) -> HttpResponse:
    """A form with the hidden field filled in: software, not a person. Nothing is kept."""
    logger.warning(
        "Report form refused: the hidden field was filled in (service %s, draft %s).",
        service.code,
        draft.id[:6],
    )
    return _render(request, "portal/report/refused.html", {"service": service}, status=400)


@require_safe
@draft_step(None)
def done(request: HttpRequest, service: ServiceType, draft: ReportDraft) -> HttpResponse:
    """The reference number, when to expect action, and where to check on it."""
    photos_discard(draft_id=draft.id)
    found = public_request_get(draft.reference)
    return _render(
        request,
        "portal/report/done.html",
        {
            "service": service,
            "reference": draft.reference,
            "found": found,
            "updates": draft.consent_updates,
            "check_url": f"{reverse('portal:track')}?{urlencode({'reference': draft.reference})}",
            "emergency": draft.emergency,
        },
    )
