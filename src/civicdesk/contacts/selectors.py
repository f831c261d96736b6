"""Reads over contacts."""

from datetime import datetime
from typing import Any

from django.db.models import Count, QuerySet

from civicdesk.contacts.models import Contact


def contact_list(
    *,
    channel: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[Contact]:
    """Contacts newest first, with what a list shows loaded in the same query."""
    contacts = Contact.objects.select_related("reason", "service_type", "agent")
    if channel:
        contacts = contacts.filter(channel=channel)
    if since:
        contacts = contacts.filter(started_at__gte=since)
    if until:
        contacts = contacts.filter(started_at__lt=until)
    return contacts


def contacts_emergency_first(
    *,
    channel: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    emergency_only: bool = False,
) -> QuerySet[Contact]:
    """The staff queue: contacts whose words described an emergency first, then newest first."""
    contacts = contact_list(channel=channel, since=since, until=until)
    if emergency_only:
        contacts = contacts.filter(emergency=True)
    return contacts.order_by("-emergency", "-started_at", "-id")


def contact_reason_counts(*, since: datetime, until: datetime) -> list[dict[str, Any]]:
    """How many contacts each reason (or service type) had in a window, most frequent first."""
    rows = (
        Contact.objects.filter(started_at__gte=since, started_at__lt=until)
        .values("reason__code", "reason__name", "service_type__code", "service_type__name")
        .annotate(contacts=Count("id"))
        .order_by("-contacts", "reason__code", "service_type__code")
    )
    return [dict(row) for row in rows]


def contacts_waiting_for_agent() -> QuerySet[Contact]:
    """The agent queue: contacts handed to a person, emergencies first, then oldest first."""
    return (
        Contact.objects.filter(waiting_since__isnull=False)
        .select_related("reason", "service_type")
        .order_by("-emergency", "waiting_since", "id")
    )


def contacts_awaiting_triage() -> QuerySet[Contact]:
    """The triage queue: contacts whose words the classifier could not route, oldest first.

    A contact leaves it when a person decides (`contact_triage_resolve`), or once its reason or
    service type is known some other way (the resident picked a service in the chat, an agent
    recorded it). Emergencies are never here: they have their own queue.
    """
    return (
        Contact.objects.filter(
            triage_since__isnull=False,
            triaged_at__isnull=True,
            emergency=False,
            reason__isnull=True,
            service_type__isnull=True,
        )
        .select_related("resident")
        .order_by("triage_since", "id")
    )


def triage_decisions(
    *, since: datetime | None = None, until: datetime | None = None
) -> QuerySet[Contact]:
    """Contacts a person triaged to a service type, with the text that was classified, in
    the order they were decided: labelled examples for the next training."""
    contacts = Contact.objects.filter(
        triaged_at__isnull=False, service_type__isnull=False, service_type__is_active=True
    ).exclude(classified_text="")
    if since is not None:
        contacts = contacts.filter(triaged_at__gte=since)
    if until is not None:
        contacts = contacts.filter(triaged_at__lt=until)
    return contacts.select_related("service_type").order_by("triaged_at", "id")
