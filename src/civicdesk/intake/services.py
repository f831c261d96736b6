"""The one intake path. Every channel (web, Open311, email, SMS, voice, chat, agent entry) calls
`intake_submit`; no channel writes contacts or cases by itself.

All validation happens before the first write, so bad input produces one error naming every
field at fault and leaves the database untouched.
"""

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from civicdesk.assistant.emergency import NO_EMERGENCY, EmergencyFinding, detect
from civicdesk.cases.models import JURISDICTION_MAX_LENGTH, Case
from civicdesk.cases.services.attachments import CleanUpload, attachment_store, attachment_validate
from civicdesk.cases.services.opening import Location, case_open
from civicdesk.catalog.attributes import clean_attributes
from civicdesk.catalog.cache import service_type_active_get
from civicdesk.catalog.models import ContactReason, ServiceType
from civicdesk.contacts.choices import CaseLinkRole, Channel
from civicdesk.contacts.models import Contact
from civicdesk.contacts.services import contact_link_case, contact_record
from civicdesk.geo.choices import AreaKind
from civicdesk.geo.selectors import area_containing, coordinates_validate, point_in_jurisdiction
from civicdesk.intake.models import IdempotencyRecord
from civicdesk.people.services import (
    email_normalize,
    phone_normalize,
    resident_from_contact_details,
)
from civicdesk.routing.rules import department_route

MAX_MEDIA_FILES = 5
MAX_IDEMPOTENCY_KEY_LENGTH = 200
PUBLIC_CHANNELS = frozenset(
    {Channel.WEB, Channel.OPEN311, Channel.SMS, Channel.EMAIL, Channel.CHAT}
)


class IntakeError(ValidationError):
    """Bad input to intake; `message_dict` maps each field to what is wrong with it."""


@dataclass(frozen=True, kw_only=True)
class IntakeSubmission:
    """What a channel received, as raw as the channel got it; intake does the cleaning."""

    channel: Channel
    service_code: str = ""
    reason_code: str = ""
    case_reference: str = ""
    description: str = ""
    lat: float | str | None = None
    long: float | str | None = None
    address: str = ""
    address_id: str = ""
    zipcode: str = ""
    attributes: Mapping[str, str | Sequence[str]] = field(default_factory=dict)
    email: str = ""
    phone: str = ""
    first_name: str = ""
    last_name: str = ""
    language: str = "en"
    media_url: str = ""
    media: Sequence[UploadedFile[bytes]] = ()
    summary: str = ""
    article_refs: Sequence[str] = ()
    agent: User | None = None
    occurred_at: datetime | None = None
    # The Open311 jurisdiction_id the request belongs to; empty for the deployment's own.
    jurisdiction: str = ""


@dataclass(frozen=True)
class IntakeResult:
    contact: Contact
    case: Case | None
    replayed: bool
    # What the emergency check read in the resident's words: a channel that finds
    # `emergency.is_emergency` tells the resident at once to call 911 (emergency_advice).
    emergency: EmergencyFinding = NO_EMERGENCY


@dataclass
class _Clean:
    service_type: ServiceType | None = None
    reason: ContactReason | None = None
    linked_case: Case | None = None
    location: Location = field(default_factory=Location)
    attributes: dict[str, Any] = field(default_factory=dict)
    email: str = ""
    phone: str = ""
    uploads: list[CleanUpload] = field(default_factory=list)


def intake_submit(*, submission: IntakeSubmission, idempotency_key: str = "") -> IntakeResult:
    """Validate a contact, record it with its reason, and open or link its case.

    With an idempotency key, a retry of the same submission returns what the first call made,
    and reusing the key for a different submission is an error.
    """
    key = idempotency_key.strip()
    if len(key) > MAX_IDEMPOTENCY_KEY_LENGTH:
        raise IntakeError(
            {"idempotency_key": [f"Use at most {MAX_IDEMPOTENCY_KEY_LENGTH} characters."]}
        )
    clean = _validate(submission)
    emergency = intake_emergency_check(submission=submission)
    fingerprint = _fingerprint(submission, clean) if key else ""
    if key:
        replay = _replay(key=key, fingerprint=fingerprint)
        if replay is not None:
            return replace(replay, emergency=emergency)
    try:
        return _write(
            submission=submission,
            clean=clean,
            key=key,
            fingerprint=fingerprint,
            emergency=emergency,
        )
    except IntegrityError:
        # A concurrent call with the same key committed first; answer as its retry would.
        replay = _replay(key=key, fingerprint=fingerprint) if key else None
        if replay is None:
            raise
        return replace(replay, emergency=emergency)


def intake_validate(*, submission: IntakeSubmission) -> None:
    """Check a submission as `intake_submit` would, without writing; raises IntakeError."""
    _validate(submission)


def intake_emergency_check(*, submission: IntakeSubmission) -> EmergencyFinding:
    """Read every free text of a submission for danger now (`assistant.emergency.detect`).

    Historical imports are records of the past, so they are never read as emergencies.
    """
    if submission.channel == Channel.IMPORT:
        return NO_EMERGENCY
    texts = [submission.description, submission.summary]
    for value in submission.attributes.values():
        texts.extend([value] if isinstance(value, str) else [str(item) for item in value])
    return detect("\n".join(text for text in texts if text.strip()), submission.language)


def _write(
    *,
    submission: IntakeSubmission,
    clean: _Clean,
    key: str,
    fingerprint: str,
    emergency: EmergencyFinding,
) -> IntakeResult:
    # Routed before the transaction opens: inside one, the per-process copy of the department
    # rules would read the catalog revision again on every request.
    route = (
        department_route(
            service_type=clean.service_type,
            district=clean.location.district,
            at=submission.occurred_at or timezone.now(),
        )
        if clean.service_type is not None
        else None
    )
    with transaction.atomic():
        resident = resident_from_contact_details(
            email=clean.email,
            phone=clean.phone,
            first_name=submission.first_name.strip(),
            last_name=submission.last_name.strip(),
            language=submission.language,
        )
        contact = contact_record(
            channel=submission.channel,
            reason=clean.reason,
            service_type=clean.service_type,
            resident=resident,
            agent=submission.agent,
            summary=submission.summary,
            language=submission.language,
            article_refs=submission.article_refs,
            started_at=submission.occurred_at,
            emergency_category=emergency.category or "",
        )
        case: Case | None = None
        if clean.service_type is not None:
            case = case_open(
                service_type=clean.service_type,
                location=clean.location,
                description=submission.description.strip(),
                channel=submission.channel,
                attributes=clean.attributes,
                resident=resident,
                route=route,
                media_url=submission.media_url.strip(),
                actor=submission.agent,
                requested_at=submission.occurred_at,
                jurisdiction=submission.jurisdiction.strip(),
            )
            for upload in clean.uploads:
                attachment_store(case=case, upload=upload, actor=submission.agent, is_public=True)
            contact_link_case(contact=contact, case=case, role=CaseLinkRole.OPENED)
        if clean.linked_case is not None:
            contact_link_case(
                contact=contact,
                case=clean.linked_case,
                role=CaseLinkRole.FOLLOW_UP,
                actor=submission.agent,
            )
            case = case or clean.linked_case
        if key:
            IdempotencyRecord.objects.create(
                key=key, request_fingerprint=fingerprint, contact=contact
            )
    return IntakeResult(contact=contact, case=case, replayed=False, emergency=emergency)


def _replay(*, key: str, fingerprint: str) -> IntakeResult | None:
    record = IdempotencyRecord.objects.select_related("contact").filter(key=key).first()
    if record is None:
        return None
    if record.request_fingerprint != fingerprint:
        raise IntakeError(
            {"idempotency_key": ["This key was already used for a different submission."]}
        )
    link = record.contact.case_links.select_related("case").order_by("id").first()
    return IntakeResult(contact=record.contact, case=link.case if link else None, replayed=True)


def _validate(submission: IntakeSubmission) -> _Clean:
    errors: dict[str, list[str]] = {}
    clean = _Clean()

    def fail(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    def collect(error: ValidationError) -> None:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)

    # PostgreSQL cannot store or even compare text holding NUL, so such input stops here.
    nul_fields = _fields_with_nul(submission)
    if nul_fields:
        raise IntakeError(
            {name: ["Remove the NUL control character from this field."] for name in nul_fields}
        )

    service_code = submission.service_code.strip()
    reason_code = submission.reason_code.strip()
    reference = submission.case_reference.strip()
    if not (service_code or reason_code or reference):
        fail(
            "service_code",
            "Say what the contact is about: a service code, a contact reason or a request "
            "reference.",
        )
    if submission.channel not in Channel.values:
        fail("channel", f"Unknown channel {submission.channel!r}.")
    if len(submission.jurisdiction.strip()) > JURISDICTION_MAX_LENGTH:
        fail("jurisdiction", f"Use at most {JURISDICTION_MAX_LENGTH} characters.")

    if service_code:
        service_type = service_type_active_get(service_code)
        if service_type is None or (
            submission.channel in PUBLIC_CHANNELS and not service_type.is_public
        ):
            fail("service_code", f"Unknown service code '{service_code}'.")
        else:
            clean.service_type = service_type
            try:
                clean.attributes = clean_attributes(
                    service_type=service_type, values=submission.attributes
                )
            except ValidationError as error:
                collect(error)
    elif submission.attributes:
        fail("attribute", "Attributes belong to a service request; give its service code.")

    if reason_code:
        clean.reason = ContactReason.objects.filter(code=reason_code, is_active=True).first()
        if clean.reason is None:
            fail("reason_code", f"Unknown contact reason '{reason_code}'.")
    if reference:
        clean.linked_case = Case.objects.filter(reference=reference).first()
        if clean.linked_case is None:
            fail("case_reference", f"No request has the reference '{reference}'.")

    description = submission.description.strip()
    limit = settings.CIVICDESK_MAX_DESCRIPTION_LENGTH
    if len(description) > limit:
        fail("description", f"Use at most {limit:,} characters (this has {len(description):,}).")

    if clean.service_type is not None:
        location = _validate_location(submission, fail)
        if location is not None:
            clean.location = location

    if submission.email.strip():
        try:
            clean.email = email_normalize(submission.email)
        except ValidationError as error:
            collect(error)
    if submission.phone.strip():
        try:
            clean.phone = phone_normalize(submission.phone)
        except ValidationError as error:
            collect(error)

    media_url = submission.media_url.strip()
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            fail("media_url", "Give an http or https address of the photo.")
        if len(media_url) > 1000:
            fail("media_url", "Use an address of at most 1,000 characters.")
    if submission.media and clean.service_type is None:
        fail("media", "Photos and documents belong to a service request; give its service code.")
    if len(submission.media) > MAX_MEDIA_FILES:
        fail("media", f"Attach at most {MAX_MEDIA_FILES} files.")
    else:
        for upload in submission.media:
            try:
                clean.uploads.append(attachment_validate(upload=upload, field="media"))
            except ValidationError as error:
                collect(error)

    if errors:
        raise IntakeError(errors)
    return clean


TEXT_FIELDS = (
    "service_code",
    "reason_code",
    "case_reference",
    "description",
    "address",
    "address_id",
    "zipcode",
    "email",
    "phone",
    "first_name",
    "last_name",
    "language",
    "media_url",
    "summary",
    "jurisdiction",
)


def _fields_with_nul(submission: IntakeSubmission) -> list[str]:
    found = [name for name in TEXT_FIELDS if "\x00" in getattr(submission, name)]
    found += [name for name in ("lat", "long") if "\x00" in str(getattr(submission, name))]
    for code, value in submission.attributes.items():
        values = [value] if isinstance(value, str) else list(value)
        if "\x00" in code or any("\x00" in str(item) for item in values):
            found.append(f"attribute[{code.replace(chr(0), '')}]")
    if any("\x00" in str(ref) for ref in submission.article_refs):
        found.append("article_refs")
    return found


def _validate_location(submission: IntakeSubmission, fail: Any) -> Location | None:
    has_lat = submission.lat not in (None, "")
    has_long = submission.long not in (None, "")
    address = submission.address.strip()
    address_id = submission.address_id.strip()
    zipcode = submission.zipcode.strip()
    if not (has_lat or has_long or address or address_id):
        fail("lat", "Give a location: latitude and longitude, an address, or an address id.")
        return None
    if len(address) > 300:
        fail("address", "Use at most 300 characters.")
    if len(address_id) > 100:
        fail("address_id", "Use at most 100 characters.")
    if len(zipcode) > 16:
        fail("zipcode", "Use at most 16 characters.")
    if has_lat != has_long:
        fail("long" if has_lat else "lat", "Give latitude and longitude together.")
        return None
    lat = long = None
    district = None
    if has_lat:
        try:
            lat = float(submission.lat)  # type: ignore[arg-type]
            long = float(submission.long)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            fail("lat", "Latitude and longitude must be decimal numbers.")
            return None
        if not (math.isfinite(lat) and math.isfinite(long)):
            fail("lat", "Latitude and longitude must be finite numbers.")
            return None
        try:
            coordinates_validate(lat=lat, long=long)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    fail(name, message)
            return None
        if not point_in_jurisdiction(lat=lat, long=long):
            fail(
                "lat",
                f"This location is outside {settings.CIVICDESK_JURISDICTION_NAME}; "
                "requests there go to the local government of that place.",
            )
            return None
        district = area_containing(lat=lat, long=long, kind=AreaKind.DISTRICT)
    return Location(
        lat=lat,
        long=long,
        address=address,
        address_id=address_id,
        zipcode=zipcode,
        district=district,
    )


def _fingerprint(submission: IntakeSubmission, clean: _Clean) -> str:
    canonical = {
        "channel": str(submission.channel),
        "service_code": submission.service_code.strip(),
        "reason_code": submission.reason_code.strip(),
        "case_reference": submission.case_reference.strip(),
        "description": submission.description.strip(),
        "location": [
            clean.location.lat,
            clean.location.long,
            clean.location.address,
            clean.location.address_id,
        ],
        "attributes": clean.attributes,
        "email": clean.email,
        "phone": clean.phone,
        "media_url": submission.media_url.strip(),
        "media": [upload.sha256 for upload in clean.uploads],
    }
    if submission.jurisdiction.strip():
        # Only when named, so fingerprints stored before jurisdictions existed still match.
        canonical["jurisdiction"] = submission.jurisdiction.strip()
    encoded = json.dumps(canonical, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()
