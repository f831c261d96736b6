"""Who is calling: a personal bearer token, or a signed-in staff session (the browsable docs).

Both resolve to a Django user; what that user may do is decided by their model permissions,
the same ones the admin uses, so one group setup governs every staff surface.
"""

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from civicdesk.api.errors import ApiError
from civicdesk.api.models import ApiToken
from civicdesk.api.services import api_token_authenticate


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer cdk_...`; no CSRF check: browsers never add this header themselves."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        api_token = api_token_authenticate(secret=token.strip())
        if api_token is None:
            return None
        request.api_token = api_token  # type: ignore[attr-defined]  # read by /me
        return api_token.user


class StaffSessionAuth(APIKeyCookie):
    """The admin session cookie, for staff trying the API from the docs page.

    A cookie rides along with any cross-site request, so unsafe methods need the CSRF token
    (the docs page sends it). The check runs only once a staff session is found, so a caller
    without any credentials gets 401, not a CSRF 403.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not (user.is_authenticated and user.is_active and user.is_staff):
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed: send the X-CSRFToken header.")
        return "session"

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        if key is None:
            return None
        user: User = request.user  # type: ignore[assignment]  # checked staff in _get_key
        return user


def request_user(request: HttpRequest) -> User:
    """The authenticated user of an API request (set by the auth classes)."""
    user: User = request.auth  # type: ignore[attr-defined]  # set by ninja after auth
    return user


def request_token(request: HttpRequest) -> ApiToken | None:
    """The token the request signed in with, or None for a session."""
    token: ApiToken | None = getattr(request, "api_token", None)
    return token


def require_perm(request: HttpRequest, *perms: str) -> User:
    """The caller, when they hold every permission named; otherwise a 403 naming what is missing."""
    user = request_user(request)
    missing = [perm for perm in perms if not user.has_perm(perm)]
    if missing:
        raise ApiError(
            403,
            "You do not have permission to do this.",
            {"permission": [f"Needs the '{perm}' permission." for perm in missing]},
        )
    return user
