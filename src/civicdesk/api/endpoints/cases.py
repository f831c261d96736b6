"""/cases: the staff list, the full case view, and working a case (status, assignment, notes,
attachments), each through the cases app's services and the shared intake path."""

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Status, UploadedFile
from ninja.params import functions as params

from civicdesk.api.auth import request_user, require_perm
from civicdesk.api.errors import COMMON_ERRORS, ApiError, bad_filter, not_found, responses
from civicdesk.api.pagination import page_body, paginate
from civicdesk.api.presenters import attachment_out, case_detail, case_summary, event_out, note_out
from civicdesk.api.schemas import (
    AssignmentIn,
    AttachmentOut,
    CaseCreateIn,
    CaseDetailOut,
    CaseFilters,
    CasePageOut,
    EventOut,
    IdempotencyKey,
    NoteIn,
    NoteOut,
    Reference,
    StatusIn,
)
from civicdesk.api.selectors import (
    case_attachments,
    case_detail_get,
    case_notes,
    case_search,
    district_get_by_code,
    staff_user_get,
)
from civicdesk.cases.models import Case
from civicdesk.cases.selectors import case_get_by_reference, case_timeline
from civicdesk.cases.services.attachments import attachment_store, attachment_validate
from civicdesk.cases.services.workflow import case_assign, case_note_add, case_transition
from civicdesk.catalog.selectors import department_get_by_code
from civicdesk.contacts.choices import Channel
from civicdesk.intake.services import IntakeSubmission, intake_submit

router = Router(tags=["cases"])

ReferencePath = params.Path(..., description="The public reference, e.g. 25-000123.")
NOT_FOUND = responses(404)
WRITE_ERRORS = responses(404, 422)


def _case_or_404(reference: str) -> Case:
    case = case_get_by_reference(reference)
    if case is None:
        raise not_found(f"Request {reference}")
    return case


def _detail(request: HttpRequest, reference: str) -> dict[str, Any]:
    # Callers check permissions first: whoever may open or change a case sees the result.
    user = request_user(request)
    case = case_detail_get(reference=reference, with_resident=user.has_perm("people.view_resident"))
    if case is None:
        raise not_found(f"Request {reference}")
    return case_detail(request, case, user=user)


@router.get("", response={200: CasePageOut, **COMMON_ERRORS}, summary="List requests")
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> dict[str, Any]:
    """Requests newest first, filtered; `page_size` is at most 100. Needs `cases.view_case`."""
    require_perm(request, "cases.view_case")
    department = None
    if filters.department:
        department = department_get_by_code(filters.department)
        if department is None:
            raise bad_filter("department", f"Unknown department '{filters.department}'.")
    district = None
    if filters.district:
        district = district_get_by_code(code=filters.district)
        if district is None:
            raise bad_filter("district", f"Unknown district '{filters.district}'.")
    cases = case_search(
        statuses=filters.status,
        service_codes=filters.service_code,
        department=department,
        district=district,
        jurisdiction=filters.jurisdiction,
        updated_since=filters.updated_since,
        text=filters.q,
    )
    page = paginate(request, cases, page=filters.page, page_size=filters.page_size)
    return page_body(page, [case_summary(case) for case in page.items])


@router.post(
    "",
    response={200: CaseDetailOut, 201: CaseDetailOut, **COMMON_ERRORS, **responses(422)},
    summary="Open a request",
)
def create_case(
    request: HttpRequest,
    payload: CaseCreateIn,
    idempotency_key: IdempotencyKey | None = params.Header(  # noqa: B008 - ninja's parameter marker
        None,
        alias="Idempotency-Key",
        description="Send the same key when retrying; the retry returns the first result (200).",
    ),
) -> Status[dict[str, Any]]:
    """Open a request as agent entry, through the same intake as every channel.

    Answers 201 with the new request, or 200 with the original when the key was seen before.
    Needs `cases.add_case`.
    """
    user = require_perm(request, "cases.add_case")
    submission = IntakeSubmission(
        channel=Channel.AGENT,
        agent=user,
        service_code=payload.service_code,
        reason_code=payload.reason_code or "",
        description=payload.description,
        lat=payload.lat,
        long=payload.long,
        address=payload.address,
        address_id=payload.address_id,
        zipcode=payload.zipcode,
        attributes=payload.attributes,
        email=payload.email,
        phone=payload.phone,
        first_name=payload.first_name,
        last_name=payload.last_name,
        language=payload.language,
        media_url=payload.media_url,
        summary=payload.summary,
    )
    result = intake_submit(submission=submission, idempotency_key=idempotency_key or "")
    if result.case is None:  # pragma: no cover - a service code always opens a case
        raise ApiError(422, "No request was opened.")
    return Status(200 if result.replayed else 201, _detail(request, result.case.reference))


@router.get(
    "/{reference}",
    response={200: CaseDetailOut, **COMMON_ERRORS, **NOT_FOUND},
    summary="One request, staff view",
)
def get_case(request: HttpRequest, reference: Reference = ReferencePath) -> dict[str, Any]:
    """Everything staff see on a request. Internal notes need `cases.view_casenote`; the
    resident needs `people.view_resident`, their email and phone `people.view_contactpoint`."""
    require_perm(request, "cases.view_case")
    return _detail(request, reference)


@router.post(
    "/{reference}/status",
    response={200: CaseDetailOut, **COMMON_ERRORS, **WRITE_ERRORS, **responses(409)},
    summary="Change the status",
)
def change_status(
    request: HttpRequest, payload: StatusIn, reference: Reference = ReferencePath
) -> dict[str, Any]:
    """Move a request through its status machine; 409 when the move is not allowed.
    Needs `cases.change_case`."""
    user = require_perm(request, "cases.view_case", "cases.change_case")
    case = _case_or_404(reference)
    case_transition(
        case=case,
        to_status=payload.to_status,
        actor=user,
        close_reason=payload.close_reason,
        public_note=payload.public_note,
    )
    return _detail(request, reference)


@router.post(
    "/{reference}/assignment",
    response={200: CaseDetailOut, **COMMON_ERRORS, **WRITE_ERRORS},
    summary="Assign to a department and person",
)
def assign(
    request: HttpRequest, payload: AssignmentIn, reference: Reference = ReferencePath
) -> dict[str, Any]:
    """Give the request to a department (default: keep it) and a staff member, or to nobody
    (`assignee: null` puts it back in the department's queue). Needs `cases.change_case`."""
    user = require_perm(request, "cases.view_case", "cases.change_case")
    case = _case_or_404(reference)
    errors: dict[str, list[str]] = {}
    department = None
    if payload.department:
        department = department_get_by_code(payload.department)
        if department is None:
            errors["department"] = [f"Unknown department '{payload.department}'."]
    assignee = None
    if payload.assignee:
        assignee = staff_user_get(username=payload.assignee)
        if assignee is None:
            errors["assignee"] = [f"No active staff member has the username '{payload.assignee}'."]
    if errors:
        raise ApiError(422, "The assignment could not be made.", errors)
    case_assign(case=case, department=department, assignee=assignee, actor=user)
    return _detail(request, reference)


@router.get(
    "/{reference}/notes",
    response={200: list[NoteOut], **COMMON_ERRORS, **NOT_FOUND},
    summary="Notes on a request",
)
def list_notes(request: HttpRequest, reference: Reference = ReferencePath) -> list[dict[str, Any]]:
    """Public and internal notes, oldest first. Needs `cases.view_casenote`."""
    require_perm(request, "cases.view_case", "cases.view_casenote")
    case = _case_or_404(reference)
    return [note_out(note) for note in case_notes(case=case)]


@router.post(
    "/{reference}/notes",
    response={201: NoteOut, **COMMON_ERRORS, **WRITE_ERRORS},
    summary="Add a note",
)
def add_note(
    request: HttpRequest, payload: NoteIn, reference: Reference = ReferencePath
) -> Status[dict[str, Any]]:
    """Add an internal note (default) or a public one the resident sees.
    Needs `cases.add_casenote`."""
    user = require_perm(request, "cases.view_case", "cases.add_casenote")
    case = _case_or_404(reference)
    note = case_note_add(case=case, body=payload.body, visibility=payload.visibility, author=user)
    return Status(201, note_out(note))


@router.get(
    "/{reference}/attachments",
    response={200: list[AttachmentOut], **COMMON_ERRORS, **NOT_FOUND},
    summary="Photos and documents on a request",
)
def list_attachments(
    request: HttpRequest, reference: Reference = ReferencePath
) -> list[dict[str, Any]]:
    """Every attachment, public or not, oldest first. Needs `cases.view_attachment`."""
    require_perm(request, "cases.view_case", "cases.view_attachment")
    case = _case_or_404(reference)
    return [attachment_out(request, item) for item in case_attachments(case=case)]


@router.post(
    "/{reference}/attachments",
    response={201: AttachmentOut, **COMMON_ERRORS, **WRITE_ERRORS},
    summary="Upload a photo or document",
)
def add_attachment(
    request: HttpRequest,
    file: File[UploadedFile],
    reference: Reference = ReferencePath,
    is_public: Form[bool] = False,
) -> Status[dict[str, Any]]:
    """Multipart upload of `file` (JPEG, PNG, WebP, GIF or PDF) and `is_public` (show it to
    the resident and on Open311). Photos are re-encoded without EXIF (no GPS); the content
    decides the type, not the name. Needs `cases.add_attachment`."""
    user = require_perm(request, "cases.view_case", "cases.add_attachment")
    case = _case_or_404(reference)
    clean = attachment_validate(upload=file, field="file")
    attachment = attachment_store(case=case, upload=clean, actor=user, is_public=is_public)
    return Status(201, attachment_out(request, attachment))


@router.get(
    "/{reference}/events",
    response={200: list[EventOut], **COMMON_ERRORS, **NOT_FOUND},
    summary="The timeline of a request",
)
def list_events(request: HttpRequest, reference: Reference = ReferencePath) -> list[dict[str, Any]]:
    """Every event (public and staff-only) in the order it happened.
    Needs `cases.view_caseevent`."""
    require_perm(request, "cases.view_case", "cases.view_caseevent")
    case = _case_or_404(reference)
    return [event_out(event) for event in case_timeline(case, public_only=False)]
