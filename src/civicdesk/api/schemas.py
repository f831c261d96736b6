"""Request and response bodies of the REST API; the OpenAPI document is generated from these.

Inputs constrain codes, usernames and references to their stored shapes, so nothing a client
sends can reach a database lookup it could break (NUL bytes, lone surrogates, absurd lengths).
"""

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import AfterValidator, AwareDatetime, Field, StringConstraints

from civicdesk.cases.choices import CaseStatus, CloseReason, EventKind, NoteVisibility
from civicdesk.contacts.choices import Channel


def _clean_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Remove the NUL control character.")
    if any("\ud800" <= char <= "\udfff" for char in value):
        raise ValueError("The text is not valid Unicode.")
    return value


def _to_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError as error:
        raise ValueError("The date is out of range.") from error


Text = Annotated[str, AfterValidator(_clean_text)]
Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")]
Reference = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,31}$")]
Username = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.@+\-]{1,150}$")]
JurisdictionId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}$")]
UtcDatetime = Annotated[AwareDatetime, AfterValidator(_to_utc)]
IdempotencyKey = Annotated[str, StringConstraints(pattern=r"^[!-~]{1,200}$")]

# Channels a member of staff records by hand; the self-service ones arrive through their own
# adapters, and "import" is for historical loads only.
StaffChannel = Literal["agent", "voice", "walk_in", "email", "sms", "chat", "social"]


class CodeName(Schema):
    code: str
    name: str


# ---- cases ---------------------------------------------------------------------------------


class CaseSummaryOut(Schema):
    """A case as a list row: no resident, no notes."""

    reference: str
    status: CaseStatus
    close_reason: str
    service: CodeName
    department: CodeName
    district: CodeName | None
    jurisdiction: str = Field(description="The Open311 jurisdiction_id the request belongs to.")
    assignee: str | None
    channel: str
    description: str
    address: str
    zipcode: str
    lat: float | None
    long: float | None
    requested_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    sla_due_at: datetime | None


class NoteOut(Schema):
    id: int
    visibility: NoteVisibility
    body: str
    author: str | None
    created_at: datetime


class AttachmentOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    width: int | None
    height: int | None
    is_public: bool
    url: str
    uploaded_by: str | None
    created_at: datetime


class ContactPointOut(Schema):
    kind: str
    value: str
    verified: bool
    consent_updates: bool


class ResidentOut(Schema):
    """Personal data: present only for callers with `people.view_resident`."""

    id: int
    first_name: str
    last_name: str
    preferred_language: str
    contact_points: list[ContactPointOut] | None = Field(
        description="Null unless the caller also has `people.view_contactpoint`."
    )


class CaseDetailOut(CaseSummaryOut):
    """The full staff view of a case."""

    address_id: str
    media_url: str
    attributes: dict[str, Any]
    routing_explanation: str = Field(
        description="Why the department rules sent the request to its department when it was "
        "opened; empty when it was sent there by hand or imported."
    )
    notes: list[NoteOut] | None = Field(
        description="Public and internal notes; null without `cases.view_casenote`."
    )
    attachments: list[AttachmentOut] | None = Field(
        description="Null without `cases.view_attachment`."
    )
    resident: ResidentOut | None = Field(
        description="Null when the case has no resident or the caller lacks `people.view_resident`."
    )


class CasePageOut(Schema):
    count: int
    page: int
    page_size: int
    next: str | None
    previous: str | None
    results: list[CaseSummaryOut]


class CaseFilters(Schema):
    status: list[CaseStatus] = Field(default_factory=list, description="Repeat for several.")
    service_code: list[Code] = Field(default_factory=list, description="Repeat for several.")
    department: Code | None = None
    district: Code | None = None
    jurisdiction: JurisdictionId | None = Field(
        default=None, description="An Open311 jurisdiction_id: only that jurisdiction's requests."
    )
    updated_since: UtcDatetime | None = Field(
        default=None, description="ISO 8601 with a UTC offset, e.g. 2025-06-01T00:00:00Z."
    )
    q: Annotated[Text, StringConstraints(max_length=200)] = Field(
        default="", description="Matches the reference exactly, or description, address, service."
    )
    page: int = Field(default=1, ge=1, le=10_000)
    page_size: int = Field(default=25, ge=1, le=100)


class CaseCreateIn(Schema):
    """A new request entered by staff; it goes through the same intake as every channel."""

    service_code: Code
    description: Text = ""
    lat: float | None = None
    long: float | None = None
    address: Text = ""
    address_id: Text = ""
    zipcode: Text = ""
    attributes: dict[Text, Text | list[Text]] = Field(default_factory=dict)
    email: Text = ""
    phone: Text = ""
    first_name: Text = ""
    last_name: Text = ""
    language: Annotated[Text, StringConstraints(max_length=16)] = "en"
    media_url: Text = ""
    reason_code: Code | None = None
    summary: Text = Field(default="", description="What the caller said, for the contact record.")


class StatusIn(Schema):
    to_status: CaseStatus
    close_reason: CloseReason | None = Field(default=None, description="Required when closing.")
    public_note: Text = Field(default="", description="Shown to the resident and on Open311.")


class AssignmentIn(Schema):
    department: Code | None = Field(default=None, description="Default: keep the department.")
    assignee: Username | None = Field(
        default=None, description="Staff username; null leaves the case in the queue."
    )


class NoteIn(Schema):
    body: Text
    visibility: NoteVisibility = NoteVisibility.INTERNAL


class EventOut(Schema):
    id: int
    kind: EventKind
    actor: str | None
    from_status: str
    to_status: str
    is_public: bool
    public_text: str
    data: dict[str, Any]
    created_at: datetime


# ---- catalog -------------------------------------------------------------------------------


class AttributeValueOut(Schema):
    key: str
    name: str


class ServiceAttributeOut(Schema):
    code: str
    description: str
    datatype: str
    required: bool
    variable: bool
    datatype_description: str
    order: int
    values: list[AttributeValueOut]


class SlaOut(Schema):
    value: int
    unit: str


class ServiceTypeOut(Schema):
    code: str
    name: str
    description: str
    group: str
    keywords: list[str]
    kind: str
    department: CodeName
    is_public: bool
    sla: SlaOut | None
    required_documents: list[str]
    attributes: list[ServiceAttributeOut]


class DepartmentOut(Schema):
    code: str
    name: str
    description: str
    email: str
    phone: str
    url: str
    hours: str


class ContactReasonOut(Schema):
    code: str
    name: str
    description: str
    parent: str | None
    department: str | None
    service_code: str | None


# ---- contacts ------------------------------------------------------------------------------


class ContactOut(Schema):
    id: int
    channel: Channel
    direction: str
    reason: CodeName | None
    service: CodeName | None
    agent: str | None
    summary: str
    language: str
    started_at: datetime
    case_references: list[str]


class ContactPageOut(Schema):
    count: int
    page: int
    page_size: int
    next: str | None
    previous: str | None
    results: list[ContactOut]


class ContactFilters(Schema):
    channel: Channel | None = None
    reason: Code | None = None
    since: UtcDatetime | None = None
    until: UtcDatetime | None = None
    page: int = Field(default=1, ge=1, le=10_000)
    page_size: int = Field(default=25, ge=1, le=100)


class ContactCreateIn(Schema):
    """An interaction recorded by staff, with why the person got in touch."""

    channel: StaffChannel = "agent"
    reason_code: Code | None = None
    case_reference: Reference | None = Field(
        default=None, description="The request this contact followed up on."
    )
    summary: Text = ""
    language: Annotated[Text, StringConstraints(max_length=16)] = "en"
    occurred_at: UtcDatetime | None = None
    article_refs: list[Annotated[Text, StringConstraints(max_length=300)]] = Field(
        default_factory=list, max_length=20
    )
    email: Text = ""
    phone: Text = ""
    first_name: Text = ""
    last_name: Text = ""


# ---- me ------------------------------------------------------------------------------------


class TokenOut(Schema):
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None


class MeOut(Schema):
    username: str
    first_name: str
    last_name: str
    email: str
    is_superuser: bool
    groups: list[str]
    permissions: list[str]
    auth: Literal["token", "session"]
    token: TokenOut | None
