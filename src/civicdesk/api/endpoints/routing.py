"""/routing: the service type a resident's words describe, for apps and other sites' forms.

Needs no credentials. Calls are counted per client and minute
(`CIVICDESK_ROUTING_SUGGEST_LIMIT_PER_MINUTE`, default 120); over the limit the answer is a
`429`. Nothing is stored.
"""

from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Router, Schema

from civicdesk.api.errors import ApiError, responses
from civicdesk.core.ratelimit import client_over_minute_limit
from civicdesk.routing.suggestions import service_suggestions

router = Router(tags=["routing"])

_LIMIT_SCOPE = "api:routing-suggest:v1"


class SuggestIn(Schema):
    text: str = Field(
        ...,
        description="What the resident wrote, in their own words. Any text is answered: empty, "
        "very long (over 10,000 characters), unreadable or nonsense text comes back with "
        "`triage` true.",
    )
    language: Literal["en", "es"] = Field(
        "en", description="The language the text is written in; service names come back in it."
    )


class SuggestionOut(Schema):
    code: str = Field(..., description="The service code, as in Open311 and `/catalog`.")
    name: str
    confidence: float = Field(..., ge=0, le=1, description="The classifier's probability.")


class SuggestOut(Schema):
    """`suggestions` are public service types, likeliest first. When `triage` is true the
    text must not be routed on this answer: show a choice or the catalog, or pass it to a
    person; `reason` says why (`empty`, `unreadable`, `too_long`, `language`,
    `no_known_words`, `low_confidence`, `no_model`, `not_public`)."""

    triage: bool
    reason: str
    model_version: int | None
    suggestions: list[SuggestionOut]


def _rate_check(request: HttpRequest) -> None:
    allowed = int(getattr(settings, "CIVICDESK_ROUTING_SUGGEST_LIMIT_PER_MINUTE", 120))
    if client_over_minute_limit(request, scope=_LIMIT_SCOPE, allowed=allowed):
        raise ApiError(429, f"Too many suggestions: at most {allowed} a minute. Try again shortly.")


@router.post(
    "/suggest",
    auth=None,
    response={200: SuggestOut, **responses(400, 429)},
    summary="Suggest the service type for a resident's words",
)
def routing_suggest(request: HttpRequest, body: SuggestIn) -> dict[str, Any]:
    """The text classifier's ranked service types for what a resident wrote, with its
    confidence, or `triage` when a person should decide. No credentials needed."""
    _rate_check(request)
    with translation.override(body.language):
        found = service_suggestions(body.text, language=body.language)
    return {
        "triage": found.triage,
        "reason": found.reason,
        "model_version": found.model_version,
        "suggestions": [
            {"code": option.code, "name": option.name, "confidence": option.confidence}
            for option in found.options
        ],
    }
