"""/assistant: the 24/7 assistant for chat widgets, apps and messaging gateways.

Needs no credentials. Messages are counted per client and minute
(`CIVICDESK_ASSISTANT_LIMIT_PER_MINUTE`, default 30); over the limit the answer is a `429`.
Every conversation is recorded as a `chat` contact with its transcript and reason.
"""

from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Router, Schema

from civicdesk.api.errors import ApiError, responses
from civicdesk.assistant.dialogue import Reply
from civicdesk.assistant.services import assistant_message
from civicdesk.core.ratelimit import client_over_minute_limit

router = Router(tags=["assistant"])

_LIMIT_SCOPE = "api:assistant:v1"


class MessageIn(Schema):
    conversation_id: str = Field(
        "",
        max_length=64,
        description="The id of an earlier reply, to continue that conversation; blank (or an "
        "id that is unknown or has expired) starts a new one.",
    )
    text: str = Field(
        ...,
        description="What the resident wrote. Any text is answered: empty, very long (over "
        "2,000 characters), binary-looking or markup-laden messages get a polite reply.",
    )
    lang: Literal["en", "es"] = Field("en", description="The resident's language.")


class LinkOut(Schema):
    label: str
    url: str


class OptionOut(Schema):
    label: str = Field(..., description="What to show on the button.")
    reply: str = Field(..., description="What to send back as `text` when it is chosen.")


class ArticleOut(Schema):
    external_id: str
    title: str
    url: str
    summary: str


class ServiceOut(Schema):
    code: str
    name: str


class ReplyOut(Schema):
    """One reply. `kind` says what it does: `answer` (from the knowledge base), `choice`
    (pick one of `options`), `offer_request` / `start_request` (report a problem, with the
    resident's words pre-filled in the link), `handoff` (a person takes over), `emergency`
    (call 911 now), `status` / `ask_reference` (a request's status), `greeting`, `thanks`,
    `goodbye`, `not_found`, `invalid`."""

    conversation_id: str
    kind: str
    text: str
    language: str
    links: list[LinkOut]
    options: list[OptionOut]
    article: ArticleOut | None
    service: ServiceOut | None
    emergency: bool
    emergency_category: str
    handoff: bool


def _rate_check(request: HttpRequest) -> None:
    allowed = int(getattr(settings, "CIVICDESK_ASSISTANT_LIMIT_PER_MINUTE", 30))
    if client_over_minute_limit(request, scope=_LIMIT_SCOPE, allowed=allowed):
        raise ApiError(429, f"Too many messages: at most {allowed} a minute. Try again shortly.")


@router.post(
    "/messages",
    auth=None,
    response={200: ReplyOut, **responses(400, 429)},
    summary="Send a message to the assistant",
)
def assistant_post_message(request: HttpRequest, message: MessageIn) -> dict[str, Any]:
    """The assistant's reply to one message: an answer from the knowledge base with its link,
    a clarifying choice, an offer to start a request, a hand-off to a person, or, when the
    words describe danger now, the advice to call 911. No credentials needed."""
    _rate_check(request)
    turn = assistant_message(
        conversation_id=message.conversation_id, text=message.text, language=message.lang
    )
    return reply_payload(request, turn.conversation.public_id, turn.reply)


def reply_payload(request: HttpRequest, conversation_id: str, reply: Reply) -> dict[str, Any]:
    """A reply as the API and the portal widget send it."""
    article = reply.article
    return {
        "conversation_id": conversation_id,
        "kind": reply.kind.value,
        "text": reply.text,
        "language": reply.language,
        "links": [
            {"label": link.label, "url": _absolute(request, link.url)} for link in reply.links
        ],
        "options": reply.option_replies(),
        "article": (
            {
                "external_id": article.external_id,
                "title": article.title,
                "url": _absolute(request, article.url),
                "summary": article.summary,
            }
            if article is not None
            else None
        ),
        "service": (
            {"code": reply.service_code, "name": reply.service_name} if reply.service_code else None
        ),
        "emergency": reply.emergency is not None,
        "emergency_category": (
            str(reply.emergency.category or "") if reply.emergency is not None else ""
        ),
        "handoff": reply.handoff,
    }


def _absolute(request: HttpRequest, url: str) -> str:
    return (
        url if url.startswith(("tel:", "http://", "https://")) else request.build_absolute_uri(url)
    )
