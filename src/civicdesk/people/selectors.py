"""Reads about residents for the portal: the signed-in resident, their requests, places, follows.

Everything here is personal data: only the resident it belongs to (or staff) may see it.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from civicdesk.cases.models import Case
from civicdesk.catalog.translation import TRANSLATION_LANGUAGES
from civicdesk.people.choices import ContactPointKind
from civicdesk.people.models import CaseFollow, ContactPoint, Resident, SavedAddress

SERVICE_NAME_FIELDS = ("code", "name", *(f"name_{code}" for code in TRANSLATION_LANGUAGES))


def resident_signed_in_get(resident_id: object) -> Resident | None:
    """The resident with this id if their account is open, else None; one query."""
    if not isinstance(resident_id, int) or isinstance(resident_id, bool):
        return None
    return (
        Resident.objects.select_related("account")
        .filter(pk=resident_id, account__is_active=True)
        .first()
    )


def resident_contact_points(resident: Resident) -> list[ContactPoint]:
    """The resident's email addresses and phone numbers, emails first; one query."""
    return list(resident.contact_points.order_by("kind", "created_at", "id"))


def resident_email_get(resident: Resident) -> str:
    """The resident's email address for messages: the first verified one, else the oldest."""
    points = list(
        resident.contact_points.filter(kind=ContactPointKind.EMAIL).order_by("created_at", "id")
    )
    verified = [point for point in points if point.verified_at is not None]
    chosen = verified or points
    return chosen[0].value if chosen else ""


def saved_addresses_for(resident: Resident) -> QuerySet[SavedAddress]:
    """The resident's saved addresses by label, with their districts; one query.

    For the report flow's "use a saved address" and the account page.
    """
    return SavedAddress.objects.filter(resident=resident).select_related("district")


def resident_request_list(resident: Resident) -> QuerySet[Case]:
    """Requests the resident made or follows, newest first, public services only; one query.

    Each case carries `followed` (the resident follows it); `resident_id` tells the ones they
    made. Cases of non-public service types are left out, as on the track page the rows link
    to.
    """
    following = CaseFollow.objects.filter(
        case=OuterRef("pk"), resident=resident, ended_at__isnull=True
    )
    return (
        Case.objects.filter(service_type__is_public=True)
        .filter(Q(resident=resident) | Q(Exists(following)))
        .annotate(followed=Exists(following))
        .select_related("service_type")
        .only(
            "reference",
            "status",
            "requested_at",
            "updated_at",
            "sla_due_at",
            "address",
            "resident_id",
            *(f"service_type__{name}" for name in SERVICE_NAME_FIELDS),
        )
        .order_by("-requested_at", "-id")
    )


def case_follow_active_get(*, resident: Resident, case_reference: str) -> CaseFollow | None:
    """The resident's active follow of the request with this reference, or None; one query."""
    return (
        CaseFollow.objects.filter(
            resident=resident, case__reference=case_reference, ended_at__isnull=True
        )
        .select_related("case")
        .first()
    )


def case_follow_by_unsubscribe_token(token: str) -> CaseFollow | None:
    """The follow an unsubscribe link belongs to (active or not), with its case; one query."""
    if not isinstance(token, str) or not token or len(token) > 64:
        return None
    return CaseFollow.objects.select_related("case").filter(unsubscribe_token=token).first()


def account_language_for_email(email: str) -> str | None:
    """The chosen language of the account this (normalized) address signs in to, or None."""
    return (
        Resident.objects.filter(
            account__isnull=False,
            contact_points__kind=ContactPointKind.EMAIL,
            contact_points__value=email,
        )
        .values_list("preferred_language", flat=True)
        .first()
    )
