"""Account pages: sign in by email link, sign out, my requests, saved addresses, preferences.

Thin, like every portal view: forms check input, people services write, selectors read.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from civicdesk.geo.selectors import address_search
from civicdesk.people.choices import ContactPointKind, EmailLinkPurpose
from civicdesk.people.models import Resident
from civicdesk.people.selectors import (
    account_language_for_email,
    resident_contact_points,
    resident_request_list,
    saved_addresses_for,
)
from civicdesk.people.services.accounts import AccountClosedError, resident_sign_in
from civicdesk.people.services.addresses import (
    SAVED_ADDRESS_LIMIT,
    saved_address_add,
    saved_address_remove,
)
from civicdesk.people.services.links import (
    EmailLinkError,
    email_link_check,
    email_link_issue,
    email_link_lifetime,
)
from civicdesk.people.services.preferences import resident_preferences_set
from civicdesk.portal.account.emails import email_send
from civicdesk.portal.account.forms import (
    ADDRESS_RESULTS,
    AddressSaveForm,
    AddressSearchForm,
    PreferencesForm,
    SignInForm,
)
from civicdesk.portal.account.ratelimit import LimitHit, email_link_limit_check
from civicdesk.portal.account.rendering import render_page
from civicdesk.portal.account.session import (
    current_resident,
    language_apply,
    resident_required,
    resident_session_end,
    resident_session_start,
    safe_next,
)

SESSION_SENT_TO_KEY = "portal_sign_in_sent_to"
MY_REQUESTS_PER_PAGE = 25

# What residents read for the people services' error codes; the services' own wording is
# for staff and logs.
SERVICE_ERRORS = {
    "phone_required": _("Enter a mobile number to get text messages."),
    "phone_taken": _("This number is on file for someone else. Call 311 to change it."),
    "duplicate": _("You already saved this address."),
    "limit": _("You can save up to %(limit)d addresses. Remove one to add another."),
}
LINK_ERRORS = {
    "invalid": _("This link is not valid. Check that you copied all of it, or ask for a new one."),
    "used": _("This link has already been used. Each link works once: ask for a new one."),
    "expired": _("This link has expired. Ask for a new one."),
}
LINK_STATUS = {"invalid": 404, "used": 410, "expired": 410}


def limit_message(hit: LimitHit) -> str:
    if hit.scope == "ip":
        return gettext(
            "Too many links were asked for from your network. Try again in %(minutes)d "
            "minutes, or call 311."
        ) % {"minutes": hit.retry_after_minutes}
    return gettext(
        "We already sent several links to this address. Check your inbox and spam folder, or "
        "try again in %(minutes)d minutes."
    ) % {"minutes": hit.retry_after_minutes}


def send_failed_message() -> str:
    return gettext("We could not send the email just now. Try again in a few minutes, or call 311.")


def service_error_messages(error: ValidationError) -> dict[str, list[str]]:
    """A service's ValidationError as field ("__all__" for none) → messages residents read."""
    grouped = error.error_dict if hasattr(error, "error_dict") else {"__all__": error.error_list}
    found: dict[str, list[str]] = {}
    for field, items in grouped.items():
        for item in items:
            wording = SERVICE_ERRORS.get(item.code or "")
            text = str(wording) % {"limit": SAVED_ADDRESS_LIMIT} if wording else item.messages[0]
            found.setdefault(field, []).append(text)
    return found


@require_http_methods(["GET", "HEAD", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """Ask for a one-time sign-in link by email. Signing in for the first time makes an account."""
    next_path = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.method != "POST":
        if current_resident(request) is not None:
            return HttpResponseRedirect(next_path or reverse("portal:account"))
        form = SignInForm(initial={"next": next_path})
        return _sign_in_page(request, form)
    form = SignInForm(request.POST)
    if not form.is_valid():
        return _sign_in_page(request, form, status=400)
    email = form.cleaned_data["email"]
    hit = email_link_limit_check(request, email=email)
    if hit is not None:
        form.add_error("email", limit_message(hit))
        response = _sign_in_page(request, form, status=429)
        response["Retry-After"] = str(hit.retry_after_seconds)
        return response
    language = account_language_for_email(email) or get_language()
    issued = email_link_issue(
        purpose=EmailLinkPurpose.SIGN_IN, email=email, language=language, next_path=next_path
    )
    sent = email_send(
        to=email,
        name="sign_in",
        language=language,
        context={
            "url": request.build_absolute_uri(reverse("portal:sign-in-link", args=[issued.token])),
            "minutes": round(email_link_lifetime(EmailLinkPurpose.SIGN_IN).total_seconds() / 60),
        },
    )
    if not sent:
        form.add_error("email", send_failed_message())
        return _sign_in_page(request, form, status=503)
    request.session[SESSION_SENT_TO_KEY] = email
    return HttpResponseRedirect(reverse("portal:sign-in-sent"), status=303)


def _sign_in_page(request: HttpRequest, form: SignInForm, *, status: int = 200) -> HttpResponse:
    return render_page(
        request, "portal/account/sign_in.html", {"nav": "account", "form": form}, status=status
    )


@require_safe
def sign_in_sent(request: HttpRequest) -> HttpResponse:
    """Check your email: where the link went, how long it works, what to do if it is missing."""
    return render_page(
        request,
        "portal/account/sign_in_sent.html",
        {
            "nav": "account",
            "email": request.session.get(SESSION_SENT_TO_KEY, ""),
            "minutes": round(email_link_lifetime(EmailLinkPurpose.SIGN_IN).total_seconds() / 60),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def sign_in_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the email. GET asks to continue; POST uses the link and signs in.

    Using it on GET would let mail scanners, which open every link in a message to check it,
    spend the one use before the resident gets there.
    """
    context: dict[str, Any] = {"nav": "account", "token": token}
    try:
        if request.method != "POST":
            context["link"] = email_link_check(token=token, purpose=EmailLinkPurpose.SIGN_IN)
            return render_page(request, "portal/account/sign_in_link.html", context)
        signed_in = resident_sign_in(token=token)
    except EmailLinkError as error:
        context["error"] = LINK_ERRORS[error.reason]
        return render_page(
            request, "portal/account/sign_in_link.html", context, status=LINK_STATUS[error.reason]
        )
    except AccountClosedError:
        context["error"] = _("This account is closed. Call 311 if you need it again.")
        return render_page(request, "portal/account/sign_in_link.html", context, status=403)
    resident_session_start(request, signed_in.resident)
    request.session.pop(SESSION_SENT_TO_KEY, None)
    target = safe_next(request, signed_in.link.next_path) or reverse("portal:account")
    response = HttpResponseRedirect(target, status=303)
    language_apply(response, signed_in.resident.preferred_language)
    messages.success(request, gettext("You are signed in."))
    return response


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    resident_session_end(request)
    messages.success(request, gettext("You are signed out."))
    # The sign-in page shows the notice (the home page has no place for it) and the way back.
    return HttpResponseRedirect(reverse("portal:sign-in"), status=303)


@require_safe
@resident_required
def account(request: HttpRequest, resident: Resident) -> HttpResponse:
    """My requests (made or followed), and what is on file."""
    page = Paginator(resident_request_list(resident), MY_REQUESTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render_page(
        request,
        "portal/account/home.html",
        {
            "nav": "account",
            "section": "requests",
            "resident": resident,
            "page": page,
            "cases": page.object_list,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@resident_required
def addresses(request: HttpRequest, resident: Resident) -> HttpResponse:
    """Saved addresses: the list with remove buttons, and search → choose → name to add one."""
    context: dict[str, Any] = {"nav": "account", "section": "addresses", "resident": resident}
    status = 200
    search_form: AddressSearchForm | None = None
    save_form: AddressSaveForm | None = None
    if request.method == "POST":
        save_form = AddressSaveForm(request.POST)
        if save_form.is_valid():
            chosen = save_form.chosen
            try:
                saved_address_add(
                    resident=resident,
                    label=save_form.cleaned_data["label"],
                    address=chosen.label,
                    lat=chosen.lat,
                    long=chosen.long,
                )
            except ValidationError as error:
                for field, texts in service_error_messages(error).items():
                    for text in texts:
                        save_form.add_error(
                            "choice" if field in {"address", "__all__"} else None, text
                        )
            else:
                messages.success(
                    request,
                    gettext("Saved %(label)s.") % {"label": save_form.cleaned_data["label"]},
                )
                return HttpResponseRedirect(reverse("portal:account-addresses"), status=303)
        status = 400
        search_form = AddressSearchForm({"q": request.POST.get("q", "")})
        search_form.is_valid()
        context["matches"] = save_form.matches
    elif "q" in request.GET:
        search_form = AddressSearchForm(request.GET)
        if search_form.is_valid():
            context["matches"] = address_search(
                search_form.cleaned_data["q"], limit=ADDRESS_RESULTS
            )
            if not context["matches"]:
                search_form.add_error(
                    "q",
                    gettext("We could not find that address. Check the number and street name."),
                )
            else:
                save_form = AddressSaveForm(initial={"q": search_form.cleaned_data["q"]})
    context.update(
        {
            "search_form": search_form or AddressSearchForm(),
            "save_form": save_form,
            "saved": list(saved_addresses_for(resident)),
            "limit": SAVED_ADDRESS_LIMIT,
        }
    )
    return render_page(request, "portal/account/addresses.html", context, status=status)


@require_POST
@resident_required
def address_remove(request: HttpRequest, resident: Resident, saved_id: int) -> HttpResponse:
    if not saved_address_remove(resident=resident, saved_address_id=saved_id):
        raise Http404("No such saved address.")
    messages.success(request, gettext("Address removed."))
    return HttpResponseRedirect(reverse("portal:account-addresses"), status=303)


@require_http_methods(["GET", "HEAD", "POST"])
@resident_required
def preferences(request: HttpRequest, resident: Resident) -> HttpResponse:
    """Language, how to hear about requests, and what else the resident agrees to get."""
    points = resident_contact_points(resident)
    phones = [point.value for point in points if point.kind == ContactPointKind.PHONE]
    status = 200
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                resident_preferences_set(
                    resident=resident,
                    language=data["language"],
                    channel=data["channel"],
                    phone=data["phone"],
                    surveys=data["surveys"],
                    alerts=data["alerts"],
                )
            except ValidationError as error:
                for field, texts in service_error_messages(error).items():
                    for text in texts:
                        form.add_error(field if field in form.fields else None, text)
            else:
                response = HttpResponseRedirect(reverse("portal:account-preferences"), status=303)
                language_apply(response, data["language"])
                messages.success(request, gettext("Your preferences are saved."))
                return response
        status = 400
    else:
        form = PreferencesForm(
            initial={
                "language": resident.preferred_language,
                "channel": resident.preferred_channel,
                "phone": phones[-1] if phones else "",
                "surveys": any(point.consent_surveys for point in points),
                "alerts": any(point.consent_alerts for point in points),
            }
        )
    return render_page(
        request,
        "portal/account/preferences.html",
        {
            "nav": "account",
            "section": "preferences",
            "resident": resident,
            "form": form,
            "contact_points": points,
            "languages": settings.LANGUAGES,
        },
        status=status,
    )
