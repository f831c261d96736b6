"""/contacts: log an interaction and why it happened (through intake), and list them."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.params import functions as params

from civicdesk.api.auth import require_perm
from civicdesk.api.errors import COMMON_ERRORS, ApiError, responses
from civicdesk.api.pagination import page_body, paginate
from civicdesk.api.presenters import contact_out
from civicdesk.api.schemas import (
    ContactCreateIn,
    ContactFilters,
    ContactOut,
    ContactPageOut,
    IdempotencyKey,
)
from civicdesk.api.selectors import contact_search
from civicdesk.contacts.choices import Channel
from civicdesk.intake.services import IntakeSubmission, intake_submit

router = Router(tags=["contacts"])


@router.get("", response={200: ContactPageOut, **COMMON_ERRORS}, summary="List contacts")
def list_contacts(request: HttpRequest, filters: Query[ContactFilters]) -> dict[str, Any]:
    """Contacts newest first; `page_size` is at most 100. Needs `contacts.view_contact`."""
    require_perm(request, "contacts.view_contact")
    if filters.since and filters.until and filters.until < filters.since:
        raise ApiError(400, "The request has an invalid parameter.", {"until": ["Before since."]})
    contacts = contact_search(
        channel=filters.channel,
        since=filters.since,
        until=filters.until,
        reason_code=filters.reason or "",
    )
    page = paginate(request, contacts, page=filters.page, page_size=filters.page_size)
    return page_body(page, [contact_out(contact) for contact in page.items])


@router.post(
    "",
    response={200: ContactOut, 201: ContactOut, **COMMON_ERRORS, **responses(422)},
    summary="Record a contact",
)
def create_contact(
    request: HttpRequest,
    payload: ContactCreateIn,
    idempotency_key: IdempotencyKey | None = params.Header(  # noqa: B008 - ninja's parameter marker
        None,
        alias="Idempotency-Key",
        description="Send the same key when retrying; the retry returns the first result (200).",
    ),
) -> Status[dict[str, Any]]:
    """Log a call, visit or message with its reason, and optionally the request it was about.
    Opening a new request is `POST /cases`. Needs `contacts.add_contact`."""
    user = require_perm(request, "contacts.add_contact")
    if not (payload.reason_code or payload.case_reference):
        raise ApiError(
            422,
            "Say why the person got in touch.",
            {"reason_code": ["Give a contact reason or the reference of a request."]},
        )
    submission = IntakeSubmission(
        channel=Channel(payload.channel),
        agent=user,
        reason_code=payload.reason_code or "",
        case_reference=payload.case_reference or "",
        summary=payload.summary,
        language=payload.language,
        occurred_at=payload.occurred_at,
        article_refs=payload.article_refs,
        email=payload.email,
        phone=payload.phone,
        first_name=payload.first_name,
        last_name=payload.last_name,
    )
    result = intake_submit(submission=submission, idempotency_key=idempotency_key or "")
    contact = contact_search().get(pk=result.contact.pk)
    return Status(200 if result.replayed else 201, contact_out(contact))
