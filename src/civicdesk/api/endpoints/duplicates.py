"""/cases/{reference}/duplicates and /cases/{reference}/merge: finding the other reports of the
same problem and merging one into the original, through `cases.duplicates` and `case_merge`."""

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.params import functions as params
from pydantic import StringConstraints

from civicdesk.api.auth import require_perm
from civicdesk.api.errors import COMMON_ERRORS, ApiError, not_found, responses
from civicdesk.api.schemas import Reference, Text
from civicdesk.cases.choices import CaseStatus
from civicdesk.cases.duplicates import case_duplicate_candidates
from civicdesk.cases.models import Case
from civicdesk.cases.selectors import case_get_by_reference
from civicdesk.cases.services.merging import MergeRefused, case_merge
from civicdesk.cases.services.workflow import MAX_NOTE_LENGTH

router = Router(tags=["cases"])

ReferencePath = params.Path(..., description="The public reference, e.g. 25-000123.")


class DuplicateOut(Schema):
    """An open request that may be the same problem, and why it was offered."""

    reference: str
    status: CaseStatus
    service: str = Field(description="The service code.")
    description: str
    address: str
    lat: float
    long: float
    requested_at: datetime
    distance_metres: float
    similarity: float = Field(description="Text similarity of the descriptions, 0 to 1.")
    score: float = Field(
        description="The ranking: 0.5 similarity, 0.3 proximity, 0.2 recency (docs/duplicates.md)."
    )


class MergeIn(Schema):
    into: Reference = Field(description="The reference of the original request.")
    note: Annotated[Text, StringConstraints(max_length=MAX_NOTE_LENGTH)] = Field(
        default="", description="Why they are the same problem; kept for staff, not public."
    )


class MergeOut(Schema):
    duplicate: str = Field(description="The merged request, now closed as a duplicate.")
    original: str
    status: CaseStatus
    close_reason: str
    followers_added: int = Field(description="Followers of the original added by the merge.")
    contacts_linked: int = Field(description="Contacts newly linked to the original.")


def _case_or_404(reference: str) -> Case:
    case = case_get_by_reference(reference)
    if case is None:
        raise not_found(f"Request {reference}")
    return case


@router.get(
    "/{reference}/duplicates",
    response={200: list[DuplicateOut], **COMMON_ERRORS, **responses(404)},
    summary="Possible duplicates of a request",
)
def list_duplicates(
    request: HttpRequest, reference: Reference = ReferencePath
) -> list[dict[str, Any]]:
    """Other open requests of the same or a related service within its duplicate radius and
    window, best first (at most five); empty for a request without a location, closed or
    merged. Needs `cases.view_case`."""
    require_perm(request, "cases.view_case")
    case = _case_or_404(reference)
    return [
        {
            "reference": item.reference,
            "status": item.status,
            "service": item.service_code,
            "description": item.description,
            "address": item.address,
            "lat": item.lat,
            "long": item.long,
            "requested_at": item.requested_at,
            "distance_metres": item.distance_metres,
            "similarity": item.similarity,
            "score": item.score,
        }
        for item in case_duplicate_candidates(case)
    ]


@router.post(
    "/{reference}/merge",
    response={200: MergeOut, **COMMON_ERRORS, **responses(404, 422)},
    summary="Merge a duplicate into the original",
)
def merge(request: HttpRequest, payload: MergeIn, reference: Reference = ReferencePath) -> Any:
    """Close this request as a duplicate of `into`: its followers and contacts move to the
    original and its public status says where it went. 422 with the reason when the merge is
    not allowed (into itself, into a closed or merged request, already closed or merged, a
    chain, another jurisdiction). Needs `cases.change_case`."""
    user = require_perm(request, "cases.view_case", "cases.change_case")
    duplicate = _case_or_404(reference)
    original = case_get_by_reference(payload.into)
    if original is None:
        raise ApiError(
            404, f"Request {payload.into} was not found.", {"into": ["No such request."]}
        )
    try:
        result = case_merge(duplicate=duplicate, original=original, actor=user, note=payload.note)
    except MergeRefused as error:
        raise ApiError(422, error.messages[0], {"into": error.messages}) from error
    return {
        "duplicate": result.duplicate.reference,
        "original": result.original.reference,
        "status": result.duplicate.status,
        "close_reason": result.duplicate.close_reason,
        "followers_added": result.followers_added,
        "contacts_linked": result.contacts_linked,
    }
