"""Recording contacts and what they were about."""

from collections.abc import Sequence
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from civicdesk.cases.choices import EventKind
from civicdesk.cases.models import Case
from civicdesk.cases.services.events import case_event_record
from civicdesk.catalog.models import ContactReason, ServiceType
from civicdesk.contacts.choices import CaseLinkRole, Channel, ContactDirection
from civicdesk.contacts.models import Contact, ContactCase
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
