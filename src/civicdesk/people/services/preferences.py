"""What a signed-in resident chooses: language, how to hear about requests, what else to get."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicdesk.people.choices import ContactPointKind, UpdateChannel
from civicdesk.people.models import CaseFollow, ContactPoint, Resident
from civicdesk.people.services import phone_normalize, resident_set_consent


def resident_preferences_set(
    *,
    resident: Resident,
    language: str,
    channel: UpdateChannel | str,
    phone: str = "",
    surveys: bool,
    alerts: bool,
) -> Resident:
    """Save the resident's language and update channel, and set consent to match.

    Updates go on the chosen channel only: its contact points get `consent_updates`, the others
    lose it, and every request the resident follows switches to it. `surveys` and `alerts` apply
    to every contact point. A `phone` is added to the resident's contact points (unverified);
    text messages need one. Raises ValidationError naming the field at fault, with codes
    `phone_required` and `phone_taken` for callers that word those themselves.
    """
    languages = {code for code, _name in settings.LANGUAGES}
    errors: dict[str, list[ValidationError]] = {}
    if language not in languages:
        errors.setdefault("language", []).append(
            ValidationError(_("Choose a language."), code="invalid")
        )
    if channel not in UpdateChannel.values:
        errors.setdefault("channel", []).append(
            ValidationError(_("Choose how we should send you updates."), code="invalid")
        )
    phone_value = ""
    if phone.strip():
        try:
            phone_value = phone_normalize(phone)
        except ValidationError as error:
            errors.setdefault("phone", []).append(
                ValidationError(error.message_dict["phone"][0], code="invalid")
            )
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        points = list(ContactPoint.objects.select_for_update().filter(resident=resident))
        if phone_value and not any(p.value == phone_value for p in points):
            if ContactPoint.objects.filter(kind=ContactPointKind.PHONE, value=phone_value).exists():
                raise ValidationError(
                    {
                        "phone": ValidationError(
                            _("This number is on file for someone else."), code="phone_taken"
                        )
                    }
                )
            point = ContactPoint(
                resident=resident,
                kind=ContactPointKind.PHONE,
                value=phone_value,
                consent_updates=channel == UpdateChannel.SMS,
            )
            point.full_clean(validate_constraints=False)
            point.save()
            points.append(point)
        if channel == UpdateChannel.SMS and not any(
            p.kind == ContactPointKind.PHONE for p in points
        ):
            raise ValidationError(
                {
                    "phone": ValidationError(
                        _("Enter a mobile number to get text messages."), code="phone_required"
                    )
                }
            )
        update_kind = {
            UpdateChannel.EMAIL: ContactPointKind.EMAIL,
            UpdateChannel.SMS: ContactPointKind.PHONE,
        }.get(UpdateChannel(channel))
        for kind in ContactPointKind:
            resident_set_consent(resident=resident, kind=kind, updates=kind == update_kind)
        resident_set_consent(resident=resident, surveys=surveys, alerts=alerts)
        resident.preferred_language = language
        resident.preferred_channel = UpdateChannel(channel)
        resident.full_clean()
        resident.save(update_fields=["preferred_language", "preferred_channel", "updated_at"])
        CaseFollow.objects.filter(resident=resident, ended_at__isnull=True).exclude(
            channel=channel
        ).update(channel=channel)
    return resident
