"""Following a request from its track page, confirming by email, and stopping.

Signed in: one button. Not signed in: an email address, then the link we send to it (double
opt-in); nothing about the person is stored until they use it. Every follow can be stopped
from the track page when signed in, or with the unsubscribe link in our emails without.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from civicdesk.cases.models import Case
from civicdesk.cases.selectors import case_get_by_reference
from civicdesk.catalog.translation import translated
from civicdesk.people.choices import EmailLinkPurpose, UpdateChannel
from civicdesk.people.models import CaseFollow, Resident
from civicdesk.people.selectors import (
    case_follow_active_get,
    case_follow_by_unsubscribe_token,
    resident_email_get,
)
from civicdesk.people.services.follows import (
    case_follow_confirm,
    case_follow_end,
    case_follow_request,
    case_follow_start,
)
from civicdesk.people.services.links import EmailLinkError, email_link_check, email_link_lifetime
from civicdesk.portal.account.emails import email_send
from civicdesk.portal.account.forms import EmailForm
from civicdesk.portal.account.ratelimit import email_link_limit_check
from civicdesk.portal.account.rendering import render_page
from civicdesk.portal.account.session import current_resident, sign_in_url
from civicdesk.portal.account.views import (
    LINK_ERRORS,
    LINK_STATUS,
    limit_message,
    send_failed_message,
)
from civicdesk.portal.forms import TrackForm, reference_example
from civicdesk.portal.selectors import PublicRequest, public_request_get

FOLLOW_FORM_PREFIX = "follow"


def track_url(reference: str) -> str:
    return f"{reverse('portal:track')}?{urlencode({'reference': reference})}"


def follow_context(
    request: HttpRequest, found: PublicRequest | None, *, form: EmailForm | None = None
) -> dict[str, Any]:
    """What the track page's "Follow this request" panel shows; {} when no request is shown."""
    if found is None:
        return {}
    reference = found.record["service_request_id"]
    resident = current_resident(request)
    following = (
        case_follow_active_get(resident=resident, case_reference=reference) if resident else None
    )
    return {
        "follow": {
            "resident": resident,
            "following": following,
            "form": form or EmailForm(prefix=FOLLOW_FORM_PREFIX),
            "sign_in_url": sign_in_url(track_url(reference)),
            "hours": follow_link_hours(),
        }
    }


def follow_link_hours() -> int:
    """How long a follow confirmation link works, in whole hours, as the pages say it."""
    return round(email_link_lifetime(EmailLinkPurpose.FOLLOW).total_seconds() / 3600)


def follow_confirmation_send(
    request: HttpRequest, *, email: str, case: Case, service_name: str
) -> bool:
    """Email the link that starts following `case` once opened; False when sending failed."""
    language = get_language()
    issued = case_follow_request(email=email, case=case, language=language)
    return email_send(
        to=email,
        name="follow_confirm",
        language=language,
        context={
            "url": request.build_absolute_uri(
                reverse("portal:follow-confirm", args=[issued.token])
            ),
            "reference": case.reference,
            "service_name": service_name,
            "hours": follow_link_hours(),
        },
    )


@require_POST
def follow(request: HttpRequest, reference: str) -> HttpResponse:
    """Start following: at once when signed in, else email a confirmation link."""
    found, case = _public_case(reference)
    resident = current_resident(request)
    if resident is not None:
        followed, started = case_follow_start(resident=resident, case=case)
        if started:
            following_receipt_send(request, followed, resident=resident)
        messages.success(request, following_message(followed))
        return HttpResponseRedirect(f"{track_url(case.reference)}#follow", status=303)

    form = EmailForm(request.POST, prefix=FOLLOW_FORM_PREFIX)
    if not form.is_valid():
        return _track_page(request, found, form, status=400)
    email = form.cleaned_data["email"]
    hit = email_link_limit_check(request, email=email)
    if hit is not None:
        form.add_error("email", limit_message(hit))
        response = _track_page(request, found, form, status=429)
        response["Retry-After"] = str(hit.retry_after_seconds)
        return response
    sent = follow_confirmation_send(
        request, email=email, case=case, service_name=found.service_name
    )
    if not sent:
        form.add_error("email", send_failed_message())
        return _track_page(request, found, form, status=503)
    messages.success(
        request,
        gettext(
            "Check your email: we sent a link to %(email)s. Open it to start following this "
            "request."
        )
        % {"email": email},
    )
    return HttpResponseRedirect(f"{track_url(case.reference)}#follow", status=303)


@require_POST
def unfollow(request: HttpRequest, reference: str) -> HttpResponse:
    """Stop following, for a signed-in resident; the unsubscribe link does it without."""
    _found, case = _public_case(reference)
    resident = current_resident(request)
    if resident is None:
        return HttpResponseRedirect(sign_in_url(track_url(case.reference)), status=303)
    following = case_follow_active_get(resident=resident, case_reference=case.reference)
    if following is not None:
        case_follow_end(follow=following)
    messages.success(request, gettext("You are no longer following this request."))
    return HttpResponseRedirect(f"{track_url(case.reference)}#follow", status=303)


@require_http_methods(["GET", "HEAD", "POST"])
def follow_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The confirmation link: GET asks to confirm (mail scanners open links), POST confirms."""
    context: dict[str, Any] = {"nav": "track", "token": token}
    try:
        if request.method != "POST":
            link = email_link_check(token=token, purpose=EmailLinkPurpose.FOLLOW)
            context["reference"] = link.case.reference if link.case else ""
            return render_page(request, "portal/follow/confirm.html", context)
        followed = case_follow_confirm(token=token)
    except EmailLinkError as error:
        context["error"] = LINK_ERRORS[error.reason]
        return render_page(
            request, "portal/follow/confirm.html", context, status=LINK_STATUS[error.reason]
        )
    following_receipt_send(request, followed, resident=followed.resident)
    messages.success(request, following_message(followed))
    return HttpResponseRedirect(f"{track_url(followed.case.reference)}#follow", status=303)


@csrf_exempt  # The token is the permission; mail clients' one-click unsubscribe POSTs here.
@require_http_methods(["GET", "HEAD", "POST"])
def follow_stop(request: HttpRequest, token: str) -> HttpResponse:
    """The unsubscribe link in our emails: works without signing in, any number of times."""
    followed = case_follow_by_unsubscribe_token(token)
    if followed is None:
        return render_page(
            request,
            "portal/follow/stop.html",
            {"nav": "track", "error": LINK_ERRORS["invalid"], "token": token},
            status=404,
        )
    stopped = False
    if request.method == "POST":
        case_follow_end(follow=followed)
        stopped = True
    return render_page(
        request,
        "portal/follow/stop.html",
        {
            "nav": "track",
            "token": token,
            "reference": followed.case.reference,
            "active": followed.ended_at is None,
            "stopped": stopped,
        },
    )


def _public_case(reference: str) -> tuple[PublicRequest, Case]:
    found = public_request_get(reference)
    case = case_get_by_reference(found.record["service_request_id"]) if found else None
    if found is None or case is None:
        raise Http404("No such request.")
    return found, case


def _track_page(
    request: HttpRequest, found: PublicRequest, form: EmailForm, *, status: int
) -> HttpResponse:
    """The track page again, with the follow form's errors beside its field."""
    track_form = TrackForm({"reference": found.record["service_request_id"]})
    track_form.is_valid()
    return render_page(
        request,
        "portal/track.html",
        {
            "nav": "track",
            "reference_example": reference_example(),
            "form": track_form,
            "found": found,
            **follow_context(request, found, form=form),
        },
        status=status,
    )


def following_message(followed: CaseFollow) -> str:
    if followed.channel == UpdateChannel.SMS:
        return gettext(
            "You are following this request. We will send a text message when it changes."
        )
    if followed.channel == UpdateChannel.NONE:
        return gettext(
            "You are following this request. It is listed in your account; you chose not to "
            "get messages."
        )
    return gettext("You are following this request. We will email you when it changes.")


def following_receipt_send(
    request: HttpRequest, followed: CaseFollow, *, resident: Resident
) -> None:
    """A receipt with the unsubscribe link, when updates go by email. A failure is only logged:
    the follow is made, and it can be stopped from the track page too."""
    if followed.channel != UpdateChannel.EMAIL:
        return
    email = resident_email_get(resident)
    if not email:
        return
    stop_url = request.build_absolute_uri(
        reverse("portal:follow-stop", args=[followed.unsubscribe_token])
    )
    language = resident.preferred_language
    email_send(
        to=email,
        name="following",
        language=language,
        context={
            "reference": followed.case.reference,
            "service_name": translated(followed.case.service_type, "name", language),
            "track_url": request.build_absolute_uri(track_url(followed.case.reference)),
            "stop_url": stop_url,
        },
        headers={
            "List-Unsubscribe": f"<{stop_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
