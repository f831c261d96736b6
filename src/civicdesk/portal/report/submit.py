"""Sending a finished draft: the checks again, the rate limits, then intake, then the
resident's consent.

The only write of the whole flow. `intake_submit` validates everything before writing anything
and, given the draft's id as its idempotency key, answers a second click with the case the first
one made.
"""

import logging
import time
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext

from civicdesk.cases.models import Case
from civicdesk.catalog.models import ServiceType
from civicdesk.contacts.choices import Channel
from civicdesk.core.ratelimit import window_count
from civicdesk.geo.selectors import point_in_jurisdiction
from civicdesk.intake.services import IntakeError, IntakeSubmission, intake_submit
from civicdesk.people.choices import ContactPointKind
from civicdesk.people.services import email_normalize, phone_normalize, resident_set_consent
from civicdesk.portal.report.draft import ReportDraft, Step
from civicdesk.portal.report.forms import (
    ATTRIBUTE_PREFIX,
    ContactForm,
    DetailsForm,
    outside_message,
)
from civicdesk.portal.report.photos import photo_files
from civicdesk.portal.report.summary import labelled

logger = logging.getLogger(__name__)

RATE_WINDOW_SECONDS = 3600
IDEMPOTENCY_PREFIX = "portal-report:"


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    retry_after: int = 0


def submission_rate_check(*, draft: ReportDraft, ip: str) -> RateDecision:
    """Count this draft's submission against its IP address and its email and phone.

    A draft counts once however often it is sent (a second click, a retry after an error).
    The email and phone count only while the IP address is within its own limit, so one
    flooding machine cannot lock someone else's address out. Counters live in the cache for
    an hour-long window, under keyed hashes: no address or number sits in the cache.
    """
    now = time.time()
    window = int(now) // RATE_WINDOW_SECONDS
    retry_after = RATE_WINDOW_SECONDS - int(now) % RATE_WINDOW_SECONDS
    counted = f"portal:report-rate:v1:draft:{draft.id}"
    if not cache.add(counted, 1, timeout=RATE_WINDOW_SECONDS * 2):
        return RateDecision(allowed=True)
    over = _count(f"ip:{_digest(ip)}", window) > int(settings.CIVICDESK_REPORT_LIMIT_PER_IP)
    if not over:
        limit = int(settings.CIVICDESK_REPORT_LIMIT_PER_CONTACT)
        counts = [_count(f"contact:{_digest(contact)}", window) for contact in _contacts(draft)]
        over = any(count > limit for count in counts)
    if over:
        # Refused: the same draft is counted again when the resident tries later.
        cache.delete(counted)
        return RateDecision(allowed=False, retry_after=retry_after)
    return RateDecision(allowed=True)


def _contacts(draft: ReportDraft) -> list[str]:
    contacts = []
    if draft.email.strip():
        try:
            contacts.append(email_normalize(draft.email))
        except ValidationError:  # a bad address still counts, as typed
            contacts.append(draft.email.strip().lower())
    if draft.phone.strip():
        try:
            contacts.append(phone_normalize(draft.phone))
        except ValidationError:
            contacts.append(draft.phone.strip())
    return contacts


def _digest(value: str) -> str:
    return salted_hmac("civicdesk.portal.report.rate", value).hexdigest()[:32]


def _count(subject: str, window: int) -> int:
    # Twice the window, so a counter read at the window's end has not expired underneath us.
    return window_count(
        f"portal:report-rate:v1:{subject}:{window}", timeout=RATE_WINDOW_SECONDS * 2
    )


def report_submit(*, draft: ReportDraft, service_type: ServiceType, language: str) -> Case:
    """Send the draft through intake and record the resident's choice about updates.

    Raises IntakeError (nothing written) or photos.PhotoMissingError (nothing sent).
    """
    submission = IntakeSubmission(
        channel=Channel.WEB,
        service_code=service_type.code,
        description=draft.description,
        lat=draft.lat,
        long=draft.long,
        address=draft.address,
        attributes=draft.answers,
        email=draft.email,
        phone=draft.phone,
        first_name=draft.first_name,
        last_name=draft.last_name,
        language=language,
        media=photo_files(draft=draft),
    )
    with transaction.atomic():
        result = intake_submit(submission=submission, idempotency_key=IDEMPOTENCY_PREFIX + draft.id)
        case = result.case
        if case is None:  # pragma: no cover - a service code always opens a case
            raise IntakeError({"service_code": ["No request was opened."]})
        resident = case.resident
        if resident is not None:
            # Intake attaches new contact points with updates on; what the resident chose here
            # is what counts, for the email and the phone they gave.
            kinds = []
            if draft.email.strip():
                kinds.append(ContactPointKind.EMAIL)
            if draft.phone.strip():
                kinds.append(ContactPointKind.PHONE)
            for kind in kinds:
                resident_set_consent(resident=resident, kind=kind, updates=draft.consent_updates)
    if not result.replayed:
        logger.info("Report %s sent from the portal (draft %s).", case.reference, draft.id[:6])
    return case


@dataclass(frozen=True)
class Problem:
    """A fault intake found, placed on the step and field where the resident can fix it."""

    step: Step | None
    field: str
    message: str


def intake_problems(error: IntakeError) -> list[Problem]:
    """The faults of an IntakeError by step: `attribute[CODE]` is on the details page, and so
    on; a fault with no step of its own (the service itself) has `step` None."""
    problems = []
    for key, messages in error.message_dict.items():
        step, field = _place(key)
        for message in messages:
            problems.append(Problem(step=step, field=field, message=message))
    return problems


def _place(key: str) -> tuple[Step | None, str]:
    if key.startswith("attribute[") and key.endswith("]"):
        return Step.DETAILS, ATTRIBUTE_PREFIX + key[len("attribute[") : -1]
    if key == "description":
        return Step.DETAILS, "description"
    if key in {"lat", "long", "address", "address_id", "zipcode"}:
        return Step.LOCATION, "address"
    if key in {"media", "photos"}:
        return Step.PHOTOS, "photos"
    if key in {"email", "phone", "first_name", "last_name"}:
        return Step.CONTACT, key
    return None, ""


def draft_recheck(*, service_type: ServiceType, draft: ReportDraft) -> list[Problem]:
    """The steps' checks again, on what the draft holds: the catalog or the boundary may have
    changed since the resident answered. Messages in the resident's language."""
    problems: list[Problem] = []
    answers = QueryDict(mutable=True)
    for code, value in draft.answers.items():
        answers.setlist(ATTRIBUTE_PREFIX + code, [value] if isinstance(value, str) else value)
    answers["description"] = draft.description
    problems += _form_problems(DetailsForm(answers, service_type=service_type), Step.DETAILS)
    if draft.lat is None or draft.long is None:
        problems.append(
            Problem(
                step=Step.LOCATION,
                field="address",
                message=gettext("Enter the address of the problem."),
            )
        )
    elif not point_in_jurisdiction(lat=draft.lat, long=draft.long):
        problems.append(Problem(step=Step.LOCATION, field="address", message=outside_message()))
    problems += _form_problems(ContactForm(ContactForm.initial_from(draft)), Step.CONTACT)
    return problems


def _form_problems(form: forms.Form, step: Step) -> list[Problem]:
    problems = []
    if not form.is_valid():
        for name, messages in form.errors.items():
            field = form.fields.get(name)
            label = str(field.label or "") if field is not None else ""
            for message in messages:
                problems.append(
                    Problem(step=step, field=name, message=labelled(label, str(message)))
                )
    return problems
