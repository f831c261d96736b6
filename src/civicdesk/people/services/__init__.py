"""Writes for residents and their contact points. Everything handled here is personal data."""

from __future__ import annotations

import logging

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from civicdesk.people.choices import ContactPointKind
from civicdesk.people.models import ContactPoint, Resident

logger = logging.getLogger(__name__)

EMAIL_MAX_LENGTH = 254
# Longer than any real phone number with an extension; keeps the parser away from huge input.
PHONE_INPUT_MAX_LENGTH = 64
_email_validator = EmailValidator()


def email_normalize(value: str) -> str:
    """The address trimmed and lower-cased, or ValidationError({"email": ...}).

    Lower-casing the local part is not what RFC 5321 promises, but every mailbox provider a
    resident uses treats it that way, and one address must match one resident.
    """
    if not isinstance(value, str):
        raise ValidationError({"email": _("Enter a valid email address.")})
    normalized = value.strip().lower()
    if not normalized:
        raise ValidationError({"email": _("Enter an email address.")})
    if len(normalized) > EMAIL_MAX_LENGTH:
        raise ValidationError(
            {
                "email": _("An email address has at most %(max)d characters.")
                % {"max": EMAIL_MAX_LENGTH}
            }
        )
    try:
        _email_validator(normalized)
    except ValidationError as error:
        raise ValidationError({"email": error.messages}) from error
    return normalized


def phone_normalize(value: str, *, region: str | None = None) -> str:
    """The number in E.164 form (+16176354500), or ValidationError({"phone": ...}).

    Numbers without a country code are read as numbers of `region` (by default the
    CIVICDESK_PHONE_REGION setting, "US").
    """
    if region is None:
        region = str(getattr(settings, "CIVICDESK_PHONE_REGION", "US"))
    if not isinstance(value, str) or not value.strip():
        raise ValidationError({"phone": _("Enter a phone number.")})
    if len(value) > PHONE_INPUT_MAX_LENGTH:
        raise ValidationError({"phone": _("Enter a valid phone number.")})
    try:
        number = phonenumbers.parse(value.strip(), region)
    except phonenumbers.NumberParseException as error:
        raise ValidationError({"phone": _("Enter a valid phone number.")}) from error
    if not phonenumbers.is_possible_number(number) or not phonenumbers.is_valid_number(number):
        raise ValidationError({"phone": _("Enter a valid phone number.")})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def resident_from_contact_details(
    *,
    email: str = "",
    phone: str = "",
    first_name: str = "",
    last_name: str = "",
    language: str = "en",
    consent_updates: bool = True,
) -> Resident | None:
    """The resident these details belong to, created if new; None for an anonymous report.

    A known email wins over a known phone. New contact points are attached (with
    `consent_updates`); blank names are filled in, but a name that differs from the one on file
    is kept as it was, since two people often share one household phone or email. Contact points
    already on file keep their consent flags: changing them is `resident_set_consent`.
    """
    first_name = (first_name or "").strip()
    last_name = (last_name or "").strip()
    errors: dict[str, list[str]] = {}
    email_value = phone_value = ""
    if email and email.strip():
        try:
            email_value = email_normalize(email)
        except ValidationError as error:
            errors.update(error.message_dict)
    if phone and phone.strip():
        try:
            phone_value = phone_normalize(phone)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    if not (email_value or phone_value or first_name or last_name):
        return None

    # Two requests with the same new address can race: the loser hits the unique constraint on
    # (kind, value), rolls back to its savepoint and, on the retry, finds the winner's rows.
    attempts = 3
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                return _resident_match_or_create(
                    email=email_value,
                    phone=phone_value,
                    first_name=first_name,
                    last_name=last_name,
                    language=language,
                    consent_updates=consent_updates,
                )
        except IntegrityError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def resident_set_consent(
    *,
    resident: Resident,
    kind: ContactPointKind | None = None,
    updates: bool | None = None,
    surveys: bool | None = None,
    alerts: bool | None = None,
) -> list[ContactPoint]:
    """Set what the resident agreed to receive on their contact points (all, or one `kind`).

    A flag left as None is not changed. Returns the contact points that changed.
    """
    wanted = {"consent_updates": updates, "consent_surveys": surveys, "consent_alerts": alerts}
    changes = {name: value for name, value in wanted.items() if value is not None}
    changed: list[ContactPoint] = []
    with transaction.atomic():
        points = ContactPoint.objects.select_for_update().filter(resident=resident)
        if kind is not None:
            points = points.filter(kind=ContactPointKind(kind))
        for point in points.order_by("id"):
            if all(getattr(point, name) == value for name, value in changes.items()):
                continue
            for name, value in changes.items():
                setattr(point, name, value)
            point.full_clean()
            point.save(update_fields=list(changes))
            changed.append(point)
    return changed


def _resident_match_or_create(
    *,
    email: str,
    phone: str,
    first_name: str,
    last_name: str,
    language: str,
    consent_updates: bool,
) -> Resident:
    known = {
        point.kind: point
        for point in ContactPoint.objects.select_related("resident").filter(
            _contact_filter(email=email, phone=phone)
        )
    }
    email_point = known.get(ContactPointKind.EMAIL.value)
    phone_point = known.get(ContactPointKind.PHONE.value)
    if email_point is not None:
        resident = email_point.resident
    elif phone_point is not None:
        resident = phone_point.resident
    else:
        resident = Resident(first_name=first_name, last_name=last_name, preferred_language=language)
        resident.full_clean()
        resident.save()
        _attach(resident, ContactPointKind.EMAIL, email, consent_updates)
        _attach(resident, ContactPointKind.PHONE, phone, consent_updates)
        return resident

    _fill_blank_names(resident, first_name=first_name, last_name=last_name)
    if email and email_point is None:
        _attach(resident, ContactPointKind.EMAIL, email, consent_updates)
    if phone and phone_point is None:
        _attach(resident, ContactPointKind.PHONE, phone, consent_updates)
    elif phone_point is not None and phone_point.resident_id != resident.pk:
        # The phone is on file for someone else (a shared household line): it stays theirs.
        logger.info(
            "Resident %s: phone already belongs to resident %s; not moved.",
            resident.pk,
            phone_point.resident_id,
        )
    return resident


def _contact_filter(*, email: str, phone: str) -> Q:
    condition = Q(pk__in=[])
    if email:
        condition |= Q(kind=ContactPointKind.EMAIL, value=email)
    if phone:
        condition |= Q(kind=ContactPointKind.PHONE, value=phone)
    return condition


def _attach(resident: Resident, kind: ContactPointKind, value: str, consent_updates: bool) -> None:
    if not value:
        return
    point = ContactPoint(resident=resident, kind=kind, value=value, consent_updates=consent_updates)
    # The unique check is left to the database so a concurrent insert raises IntegrityError,
    # which the caller retries, instead of a ValidationError that would reach the resident.
    point.full_clean(validate_constraints=False)
    point.save()


def _fill_blank_names(resident: Resident, *, first_name: str, last_name: str) -> None:
    changed: list[str] = []
    conflict = False
    for field_name, given in (("first_name", first_name), ("last_name", last_name)):
        current = getattr(resident, field_name)
        if not given:
            continue
        if not current:
            setattr(resident, field_name, given)
            changed.append(field_name)
        elif current.casefold() != given.casefold():
            conflict = True
    if conflict:
        # Never log the names themselves: the log is not a place for personal data.
        logger.info("Resident %s: submitted name differs from the one on file; kept.", resident.pk)
    if changed:
        resident.full_clean()
        resident.save(update_fields=[*changed, "updated_at"])
