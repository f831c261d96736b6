"""Reads the API needs beyond the domain selectors: text search, staff lookups, detail joins.

Each builds on the owning app's selector, so a list keeps the same fixed number of queries.
"""

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import Prefetch, Q, QuerySet

from civicdesk.cases.choices import CaseStatus
from civicdesk.cases.models import Attachment, Case, CaseNote
from civicdesk.cases.selectors import case_list
from civicdesk.catalog.models import Department
from civicdesk.contacts.models import Contact, ContactCase
from civicdesk.contacts.selectors import contact_list
from civicdesk.geo.choices import AreaKind
from civicdesk.geo.models import Area
from civicdesk.people.models import ContactPoint


def case_search(
    *,
    statuses: Iterable[CaseStatus] = (),
    service_codes: Iterable[str] = (),
    department: Department | None = None,
    district: Area | None = None,
    jurisdiction: str | None = None,
    updated_since: datetime | None = None,
    text: str = "",
) -> QuerySet[Case]:
    """Cases for the staff list: the domain filters plus a text match, assignee joined."""
    status_list = list(statuses)
    code_list = list(service_codes)
    cases = case_list(
        status=status_list or None,
        service_codes=code_list or None,
        department=department,
        district=district,
        updated_from=updated_since,
        jurisdiction=jurisdiction,
    ).select_related("assignee")
    text = text.strip()
    if text:
        cases = cases.filter(
            Q(reference__iexact=text)
            | Q(description__icontains=text)
            | Q(address__icontains=text)
            | Q(service_type__name__icontains=text)
        )
    return cases


def case_detail_get(*, reference: str, with_resident: bool) -> Case | None:
    """One case with what the staff view shows: notes, attachments, assignee and resident."""
    cases = (
        case_list(references=[reference])
        .select_related("assignee")
        .prefetch_related(
            Prefetch("notes", queryset=CaseNote.objects.select_related("author")),
            Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by")),
        )
    )
    if with_resident:
        cases = cases.select_related("resident").prefetch_related(
            Prefetch("resident__contact_points", queryset=ContactPoint.objects.order_by("kind"))
        )
    return cases.first()


def case_notes(*, case: Case) -> QuerySet[CaseNote]:
    """Every note on a case, public and internal, oldest first, authors joined."""
    return CaseNote.objects.filter(case=case).select_related("author").order_by("created_at", "id")


def case_attachments(*, case: Case) -> QuerySet[Attachment]:
    """Every attachment on a case, oldest first."""
    return (
        Attachment.objects.filter(case=case)
        .select_related("uploaded_by")
        .order_by("created_at", "id")
    )


def staff_user_get(*, username: str) -> User | None:
    """The active staff account with this username, or None (cases go only to staff)."""
    return User.objects.filter(username=username, is_active=True, is_staff=True).first()


def district_get_by_code(*, code: str) -> Area | None:
    """The district (ward, council district) with this code, or None."""
    return Area.objects.filter(kind=AreaKind.DISTRICT, code=code).first()


def contact_search(
    *,
    channel: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    reason_code: str = "",
) -> QuerySet[Contact]:
    """Contacts for the staff list, newest first, with their case references prefetched."""
    contacts = contact_list(channel=channel, since=since, until=until)
    if reason_code:
        contacts = contacts.filter(reason__code=reason_code)
    return contacts.prefetch_related(
        Prefetch(
            "case_links",
            queryset=ContactCase.objects.select_related("case").order_by("id"),
        )
    )
