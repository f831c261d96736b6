"""Recording contacts and what they were about."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from civicdesk.cases.choices import EventKind
from civicdesk.cases.models import Case
from civicdesk.cases.services.events import case_event_record
from civicdesk.catalog.models import ContactReason, ServiceType
from civicdesk.contacts.choices import CaseLinkRole, Channel, ContactDirection, MessageSender
from civicdesk.contacts.models import Contact, ContactCase, ContactMessage
from civicdesk.people.models import Resident


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
