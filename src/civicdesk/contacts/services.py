"""Recording contacts and what they were about."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.assistant.emergency import detect
from civicdesk.cases.choices import EventKind
from civicdesk.cases.models import Case
from civicdesk.cases.services.events import case_event_record
from civicdesk.catalog.cache import service_type_active_get
from civicdesk.catalog.models import ContactReason, ServiceType
from civicdesk.contacts.choices import CaseLinkRole, Channel, ContactDirection, MessageSender
from civicdesk.contacts.models import Contact, ContactCase, ContactMessage
from civicdesk.people.models import Resident
from civicdesk.routing.classifier import MAX_TEXT_CHARS, classify


def contact_record(
    *,
    channel: Channel,
    reason: ContactReason | None = None,
    service_type: ServiceType | None = None,
    resident: Resident | None = None,
    agent: User | None = None,
    summary: str = "",
    language: str = "en",
    article_refs: Sequence[str] = (),
    direction: ContactDirection = ContactDirection.INBOUND,
    started_at: datetime | None = None,
    emergency_category: str = "",
) -> Contact:
    """Record one interaction and why it happened.

    `emergency_category` (an `assistant.choices.EmergencyCategory`) flags the contact as an
    emergency, which puts it first in the staff queue.
    """
    contact = Contact(
        channel=channel,
        direction=direction,
        reason=reason,
        service_type=service_type,
        resident=resident,
        agent=agent,
        summary=summary,
        language=language,
        article_refs=list(article_refs),
        started_at=started_at or timezone.now(),
        emergency=bool(emergency_category),
        emergency_category=emergency_category,
    )
    # The related rows were loaded by the caller; re-checking each key would cost a query apiece.
    contact.full_clean(
        exclude=["reason", "service_type", "resident", "agent"], validate_constraints=False
    )
    contact.save()
    return contact


def contact_link_case(
    *,
    contact: Contact,
    case: Case,
    role: CaseLinkRole,
    actor: User | None = None,
) -> ContactCase:
    """Tie a contact to a case; a follow-up or repeat report also goes on the case timeline."""
    if role == CaseLinkRole.OPENED:
        # The case was opened by this very contact, so no earlier link can exist.
        return ContactCase.objects.create(contact=contact, case=case, role=role)
    with transaction.atomic():
        link, created = ContactCase.objects.get_or_create(
            contact=contact, case=case, defaults={"role": role}
        )
        if created:
            case_event_record(
                case=case,
                kind=EventKind.CONTACT_LINKED,
                actor=actor,
                data={"contact_id": contact.pk, "channel": contact.channel, "role": role.value},
                at=contact.started_at,
            )
    return link


def contact_flag_emergency(*, contact: Contact, category: str) -> Contact:
    """Flag a contact already recorded (a chat that turns urgent) as an emergency.

    The first category found stays; flagging again changes nothing.
    """
    if contact.emergency:
        return contact
    contact.emergency = True
    contact.emergency_category = category
    contact.full_clean(
        exclude=["reason", "service_type", "resident", "agent"], validate_constraints=False
    )
    Contact.objects.filter(pk=contact.pk, emergency=False).update(
        emergency=True, emergency_category=category
    )
    return contact


def contact_message_add(
    *,
    contact: Contact,
    sender: MessageSender,
    text: str,
    kind: str = "",
    data: dict[str, Any] | None = None,
) -> ContactMessage:
    """Add one message to the contact's transcript; the contact's last activity moves with it."""
    message = ContactMessage.objects.create(
        contact=contact, sender=sender, text=text, kind=kind, data=data or {}
    )
    Contact.objects.filter(pk=contact.pk).update(ended_at=message.created_at)
    contact.ended_at = message.created_at
    return message


def contact_classify(
    *,
    contact: Contact,
    reason: ContactReason | None = None,
    service_type: ServiceType | None = None,
    article_ref: str = "",
    emergency_category: str = "",
) -> Contact:
    """Record what a contact turned out to be about, as the conversation goes.

    The first reason found stays, except that an emergency replaces any reason: what counts in
    the reasons report is why the person got in touch, and danger outranks the rest.
    """
    fields: list[str] = []
    if emergency_category and not contact.emergency:
        contact_flag_emergency(contact=contact, category=emergency_category)
        if reason is not None:
            contact.reason = reason
            fields.append("reason")
    elif reason is not None and contact.reason_id is None:
        contact.reason = reason
        fields.append("reason")
    if service_type is not None and contact.service_type_id is None:
        contact.service_type = service_type
        fields.append("service_type")
    if article_ref and article_ref not in contact.article_refs:
        contact.article_refs = [*contact.article_refs, article_ref]
        fields.append("article_refs")
    if fields:
        contact.save(update_fields=fields)
    return contact


def contact_queue_for_agent(*, contact: Contact) -> Contact:
    """Put the contact in the agent queue (once), with emergencies first in its order."""
    if contact.waiting_since is None:
        contact.waiting_since = timezone.now()
        contact.save(update_fields=["waiting_since"])
    return contact


def _reason_for_service(service_type: ServiceType) -> ContactReason | None:
    return ContactReason.objects.filter(service_type=service_type, is_active=True).first()


def contact_categorize(*, contact: Contact, text: str, language: str | None = None) -> Contact:
    """Find what a text-only contact (email, SMS, chat) is about from the resident's words.

    The single entry point for every text channel: the assistant calls it on a conversation's
    first substantive message, and the email and SMS adapters call it with the message body.
    The classifier's answer is kept on the contact (`classification`: model version,
    confidence, top three, and the triage reason when there is one). A confident answer
    records the service type and, when the catalog has one for it, the contact reason; anything
    else (empty, nonsense, unknown words, no model, not sure enough) puts the contact in the
    triage queue for a person (`contacts_awaiting_triage`). Words describing danger now flag
    the contact as an emergency instead: emergencies have their own queue and never wait for
    triage. Only the first call counts, so a retried message changes nothing.
    """
    if contact.classified_at is not None or contact.emergency:
        return contact
    text = text.replace("\x00", "\ufffd")
    language = language or contact.language
    finding = detect(text, language)
    if finding:
        return contact_flag_emergency(contact=contact, category=str(finding.category or ""))
    suggestion = classify(text, language)
    now = timezone.now()
    classification: dict[str, Any] = {
        "model_version": suggestion.model_version,
        "confidence": suggestion.confidence,
        "top": [[code, confidence] for code, confidence in suggestion.top],
        "service_code": suggestion.service_code or "",
        "triage_reason": suggestion.reason if suggestion.needs_triage else "",
        "language": language,
    }
    service_type = (
        service_type_active_get(suggestion.service_code) if suggestion.service_code else None
    )
    with transaction.atomic():
        claimed = Contact.objects.filter(pk=contact.pk, classified_at__isnull=True).update(
            classified_at=now,
            classified_text=text[:MAX_TEXT_CHARS],
            classification=classification,
        )
        if not claimed:
            contact.refresh_from_db()
            return contact
        contact.classified_at = now
        contact.classified_text = text[:MAX_TEXT_CHARS]
        contact.classification = classification
        if service_type is None:
            contact.triage_since = now
            contact.save(update_fields=["triage_since"])
            return contact
        reason = _reason_for_service(service_type) if contact.reason_id is None else None
        return contact_classify(contact=contact, reason=reason, service_type=service_type)


def contact_triage_resolve(
    *,
    contact: Contact,
    service_type: ServiceType | None = None,
    reason: ContactReason | None = None,
    actor: User,
) -> Contact:
    """A person decides what a contact in the triage queue is about: a service type, a contact
    reason, or both. The decision replaces anything recorded before and takes the contact out
    of the queue.

    The classified text with the chosen service type is a labelled example the classifier got
    wrong or could not read: `civicdesk routing train` learns from these decisions together
    with the cases (`routing.selectors.dataset_from_cases`). Resolving again records the later
    decision.
    """
    if service_type is None and reason is None:
        raise ValidationError(_("Choose a service type or a contact reason."))
    if service_type is None and reason is not None and reason.service_type_id is not None:
        service_type = reason.service_type
    if reason is None and service_type is not None:
        reason = _reason_for_service(service_type)
    now = timezone.now()
    contact.service_type = service_type
    contact.reason = reason
    contact.triaged_at = now
    contact.triaged_by = actor
    contact.classification = {
        **contact.classification,
        "decision": {
            "service_code": service_type.code if service_type else "",
            "reason_code": reason.code if reason else "",
            "by": actor.get_username(),
            "at": now.isoformat(),
        },
    }
    with transaction.atomic():
        contact.save(
            update_fields=["service_type", "reason", "triaged_at", "triaged_by", "classification"]
        )
    return contact
