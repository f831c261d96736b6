"""Addresses a resident saves to report about again ("Home", "Work")."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from civicdesk.geo.choices import AreaKind
from civicdesk.geo.selectors import area_containing
from civicdesk.people.models import Resident, SavedAddress

SAVED_ADDRESS_LIMIT = 10


def saved_address_add(
    *, resident: Resident, label: str, address: str, lat: float, long: float
) -> SavedAddress:
    """Save an address (normally one picked from `geo.selectors.address_search`).

    The district is looked up from the point. Raises ValidationError with code `duplicate`
    (already saved) or `limit` (SAVED_ADDRESS_LIMIT reached), or for impossible coordinates.
    """
    district = area_containing(lat=lat, long=long, kind=AreaKind.DISTRICT)
    saved = SavedAddress(
        resident=resident,
        label=label.strip(),
        address=address.strip(),
        lat=float(lat),
        long=float(long),
        district=district,
    )
    saved.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            # Locks the resident's row so two concurrent adds cannot both pass the limit.
            Resident.objects.select_for_update().filter(pk=resident.pk).first()
            if SavedAddress.objects.filter(resident=resident).count() >= SAVED_ADDRESS_LIMIT:
                raise ValidationError(
                    _("You can save up to %(limit)d addresses. Remove one to add another.")
                    % {"limit": SAVED_ADDRESS_LIMIT},
                    code="limit",
                )
            saved.save()
    except IntegrityError as error:
        raise ValidationError(
            {"address": ValidationError(_("You already saved this address."), code="duplicate")}
        ) from error
    return saved


def saved_address_remove(*, resident: Resident, saved_address_id: int) -> bool:
    """Remove one of the resident's saved addresses; False if they have none with that id."""
    deleted, _per_model = SavedAddress.objects.filter(
        resident=resident, pk=saved_address_id
    ).delete()
    return bool(deleted)
