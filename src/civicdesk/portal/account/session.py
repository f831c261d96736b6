"""Who is signed in to the portal: a resident id in the session, apart from Django's auth.

Staff sign in to the admin and the API as Django users; residents never do. Keeping the
resident in a session key of its own means a resident session passes no `is_staff` or
permission check anywhere, and signing in or out as a resident leaves a staff login alone.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import rotate_token
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

from civicdesk.people.models import Resident
from civicdesk.people.selectors import resident_signed_in_get

SESSION_RESIDENT_KEY = "portal_resident_id"
_CACHE_ATTRIBUTE = "_portal_resident"
NEXT_MAX_LENGTH = 300


def current_resident(request: HttpRequest) -> Resident | None:
    """The signed-in resident, or None; at most one query per request.

    A session whose account staff closed (or whose resident was deleted) is signed out here.
    """
    if hasattr(request, _CACHE_ATTRIBUTE):
        cached: Resident | None = getattr(request, _CACHE_ATTRIBUTE)
        return cached
    resident_id = request.session.get(SESSION_RESIDENT_KEY)
    resident = resident_signed_in_get(resident_id) if resident_id is not None else None
    if resident_id is not None and resident is None:
        request.session.pop(SESSION_RESIDENT_KEY, None)
    setattr(request, _CACHE_ATTRIBUTE, resident)
    return resident


def resident_session_start(request: HttpRequest, resident: Resident) -> None:
    """Sign the resident in to this browser: a new session key and CSRF token, as on login."""
    request.session.cycle_key()
    rotate_token(request)
    request.session[SESSION_RESIDENT_KEY] = resident.pk
    setattr(request, _CACHE_ATTRIBUTE, resident)


def resident_session_end(request: HttpRequest) -> None:
    """Sign the resident out of this browser; a staff login in the same browser stays."""
    request.session.pop(SESSION_RESIDENT_KEY, None)
    request.session.cycle_key()
    rotate_token(request)
    setattr(request, _CACHE_ATTRIBUTE, None)


def language_apply(response: HttpResponse, language: str) -> None:
    """Show the portal in `language` from now on, as the English/Español switch does."""
    if language not in {code for code, _name in settings.LANGUAGES}:
        return
    translation.activate(language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def safe_next(request: HttpRequest, value: str | None) -> str:
    """A local path to go back to after signing in, or ""."""
    if not value or len(value) > NEXT_MAX_LENGTH or not value.startswith("/"):
        return ""
    if not url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return value


def sign_in_url(next_path: str = "") -> str:
    url = reverse("portal:sign-in")
    return f"{url}?{urlencode({'next': next_path})}" if next_path else url


def resident_required(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Send visitors who are not signed in to the sign-in page, and back here afterwards."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        resident = current_resident(request)
        if resident is None:
            return HttpResponseRedirect(sign_in_url(request.get_full_path()))
        return view(request, resident, *args, **kwargs)

    return wrapper
