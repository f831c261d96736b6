"""/me: who the API thinks you are, and what you may do, for checking a token's setup."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from civicdesk.api.auth import request_token, request_user
from civicdesk.api.errors import responses
from civicdesk.api.schemas import MeOut

router = Router(tags=["me"])


@router.get("/me", response={200: MeOut, **responses(401)}, summary="The calling user")
def me(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user, their groups and permissions, and the token in use (if any)."""
    user = request_user(request)
    token = request_token(request)
    return {
        "username": user.get_username(),
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_superuser": user.is_superuser,
        "groups": sorted(group.name for group in user.groups.all()),
        "permissions": sorted(user.get_all_permissions()),
        "auth": "token" if token is not None else "session",
        "token": (
            {
                "name": token.name,
                "prefix": token.prefix,
                "created_at": token.created_at,
                "last_used_at": token.last_used_at,
            }
            if token is not None
            else None
        ),
    }
