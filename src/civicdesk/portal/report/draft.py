"""A report in progress, kept in the resident's session until they send it.

Each report gets a random draft id that travels in the step URLs, so a resident reporting two
problems in two tabs keeps two drafts apart. The session itself is server-side (Django's
database or cache session), keyed by the signed session cookie: another browser that learns a
draft id finds nothing. Nothing here touches the database; the steps only check and remember,
and the final submit writes everything at once through intake.
"""

import re
import secrets
import time
from collections.abc import MutableMapping
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SESSION_KEY = "portal.report.drafts"
# Enough for a few tabs; the oldest draft goes first when a resident starts more.
MAX_DRAFTS = 5
# A draft not touched for a day is dropped, with what the resident typed in it.
DRAFT_MAX_AGE_SECONDS = 24 * 3600
DRAFT_ID = re.compile(r"^[A-Za-z0-9_-]{16,43}$")


class Step(StrEnum):
    DETAILS = "details"
    LOCATION = "location"
    PHOTOS = "photos"
    CONTACT = "contact"
    REVIEW = "review"


STEPS: tuple[Step, ...] = tuple(Step)
STEP_LABELS: dict[Step, Promise] = {
    Step.DETAILS: _("Details"),
    Step.LOCATION: _("Location"),
    Step.PHOTOS: _("Photos"),
    Step.CONTACT: _("Contact"),
    Step.REVIEW: _("Review"),
}


@dataclass
class DraftPhoto:
    """A photo or PDF that passed `attachment_validate`; its bytes wait in `report.photos`."""

    sha256: str
    extension: str
    content_type: str
    name: str
    size: int
    width: int | None = None
    height: int | None = None

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


@dataclass
class ReportDraft:
    """What the resident has entered so far, as they typed it (intake does the normalizing)."""

    id: str
    service_code: str
    touched_at: float
    answers: dict[str, str | list[str]] = field(default_factory=dict)
    description: str = ""
    address: str = ""
    lat: float | None = None
    long: float | None = None
    photos: list[DraftPhoto] = field(default_factory=list)
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    consent_updates: bool = False
    completed: list[str] = field(default_factory=list)
    reference: str = ""
    # The kind of emergency the sent report described, for the confirmation's call-911 alert.
    emergency: str = ""
    # Set when the resident followed an open report of the same problem instead of sending
    # theirs: its reference, and where the confirmation link went when not signed in.
    followed: str = ""
    follow_email: str = ""

    @property
    def is_sent(self) -> bool:
        return bool(self.reference)

    @property
    def has_contact(self) -> bool:
        return bool(self.email.strip() or self.phone.strip())

    def complete(self, step: Step) -> None:
        if step.value not in self.completed:
            self.completed.append(step.value)

    def next_open_step(self, wanted: Step) -> Step:
        """`wanted`, or the first step before it still to fill in."""
        for step in STEPS[: STEPS.index(wanted)]:
            if step.value not in self.completed:
                return step
        return wanted

    def to_session(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_session(cls, data: dict[str, Any]) -> "ReportDraft":
        values = dict(data)
        values["photos"] = [DraftPhoto(**photo) for photo in values.get("photos", [])]
        return cls(**values)


def draft_start(
    session: MutableMapping[str, Any], *, service_code: str, description: str = ""
) -> ReportDraft:
    """A new draft for one service, saved in the session; `description` pre-fills what the
    resident already wrote elsewhere (to the assistant, in the search box)."""
    draft = ReportDraft(
        id=secrets.token_urlsafe(16),
        service_code=service_code,
        touched_at=time.time(),
        description=description,
    )
    draft_save(session, draft)
    return draft


def draft_get(
    session: MutableMapping[str, Any], *, draft_id: str, service_code: str
) -> ReportDraft | None:
    """The draft with this id for this service, or None when it is unknown or too old."""
    if not DRAFT_ID.match(draft_id):
        return None
    data = _drafts(session).get(draft_id)
    if data is None or data.get("service_code") != service_code:
        return None
    try:
        return ReportDraft.from_session(data)
    except (TypeError, ValueError):
        # Saved by an older version of this code: start again rather than fail.
        return None


def draft_save(session: MutableMapping[str, Any], draft: ReportDraft) -> None:
    draft.touched_at = time.time()
    drafts = _drafts(session)
    drafts[draft.id] = draft.to_session()
    newest = sorted(drafts.items(), key=lambda item: item[1]["touched_at"], reverse=True)
    session[SESSION_KEY] = dict(newest[:MAX_DRAFTS])


def draft_mark_sent(
    session: MutableMapping[str, Any], draft: ReportDraft, *, reference: str, emergency: str = ""
) -> ReportDraft:
    """Keep only what the confirmation page needs; the answers and contact details are gone
    from the session once they are in the case."""
    sent = ReportDraft(
        id=draft.id,
        service_code=draft.service_code,
        touched_at=time.time(),
        consent_updates=draft.consent_updates and draft.has_contact,
        completed=list(draft.completed),
        reference=reference,
        emergency=emergency,
    )
    draft_save(session, sent)
    return sent


def draft_mark_followed(
    session: MutableMapping[str, Any], draft: ReportDraft, *, reference: str, email: str = ""
) -> ReportDraft:
    """The report ends without a case: the resident follows `reference` instead. Only what the
    confirmation page needs is kept."""
    followed = ReportDraft(
        id=draft.id,
        service_code=draft.service_code,
        touched_at=time.time(),
        completed=list(draft.completed),
        followed=reference,
        follow_email=email,
    )
    draft_save(session, followed)
    return followed


def _drafts(session: MutableMapping[str, Any]) -> dict[str, dict[str, Any]]:
    stored = session.get(SESSION_KEY)
    if not isinstance(stored, dict):
        return {}
    oldest = time.time() - DRAFT_MAX_AGE_SECONDS
    return {
        draft_id: data
        for draft_id, data in stored.items()
        if isinstance(data, dict) and data.get("touched_at", 0) >= oldest
    }
