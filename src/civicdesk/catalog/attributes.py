"""Checking a resident's answers to a service's questions (its Open311 attributes)."""

import datetime as dt
import re
import zoneinfo
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from civicdesk.catalog.choices import AttributeDatatype
from civicdesk.catalog.models import ServiceAttribute, ServiceType

STRING_MAX_LENGTH = 1000
TEXT_MAX_LENGTH = 4000
_NUMBER_RE = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")
# Beyond this a "number" is a typo or an attack, and its plain form would be absurdly long.
_NUMBER_MAX_DIGITS = 30


def _label(attribute: ServiceAttribute) -> str:
    description = " ".join(attribute.description.split())
    return description if len(description) <= 80 else description[:79] + "…"


def _scalar(raw: Any) -> str | None:
    """A single answer as text; None when the shape is wrong (a list of several, a number...)."""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, Sequence) and len(raw) == 1 and isinstance(raw[0], str):
        return raw[0]
    return None


def _keys(raw: Any) -> list[str] | None:
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, Sequence) and all(isinstance(item, str) for item in raw):
        return list(raw)
    return None


def _clean_number(label: str, text: str) -> str:
    expected = _("%(label)s: enter a number, for example 12 or 3.5.") % {"label": label}
    if not _NUMBER_RE.match(text):
        raise ValidationError(expected)
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ValidationError(expected) from exc
    if not number.is_finite() or abs(number.adjusted()) > _NUMBER_MAX_DIGITS:
        raise ValidationError(expected)
    plain = format(number, "f")
    if len(plain) > _NUMBER_MAX_DIGITS * 2:
        raise ValidationError(expected)
    return plain


def _clean_datetime(label: str, text: str) -> str:
    expected = _(
        "%(label)s: enter a date and time in ISO 8601 form, for example 2025-01-31T14:30."
    ) % {"label": label}
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValidationError(expected) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zoneinfo.ZoneInfo(settings.CIVICDESK_JURISDICTION_TIMEZONE))
    try:
        return moment.astimezone(dt.UTC).isoformat()
    except (OverflowError, ValueError) as exc:
        raise ValidationError(expected) from exc


def _choices_text(attribute: ServiceAttribute) -> str:
    return ", ".join(f"{v.key} ({v.name})" for v in attribute.values.all())


def _clean_one(attribute: ServiceAttribute, raw: Any) -> str | list[str] | None:
    """The normalized answer, None for a blank optional one; raises ValidationError."""
    label = _label(attribute)
    datatype = attribute.datatype
    if datatype == AttributeDatatype.MULTIVALUELIST:
        keys = _keys(raw)
        if keys is None:
            raise ValidationError(
                _("%(label)s: choose one or more of: %(choices)s.")
                % {"label": label, "choices": _choices_text(attribute)}
            )
        keys = [key.strip() for key in keys if key.strip()]
        if not keys:
            return None
        known = [v.key for v in attribute.values.all()]
        unknown = [key for key in keys if key not in known]
        if unknown:
            raise ValidationError(
                _("%(label)s: %(unknown)s is not a choice; choose from: %(choices)s.")
                % {
                    "label": label,
                    "unknown": ", ".join(repr(key[:50]) for key in unknown[:5]),
                    "choices": _choices_text(attribute),
                }
            )
        # Keep the catalog's order so equal answers compare equal.
        return [key for key in known if key in keys]

    text = _scalar(raw)
    if text is None:
        raise ValidationError(_("%(label)s: send a single answer.") % {"label": label})
    if "\x00" in text:
        raise ValidationError(
            _("%(label)s: contains a character that is not allowed.") % {"label": label}
        )
    text = text.strip()
    if not text:
        return None
    if datatype == AttributeDatatype.NUMBER:
        return _clean_number(label, text)
    if datatype == AttributeDatatype.DATETIME:
        return _clean_datetime(label, text)
    if datatype == AttributeDatatype.SINGLEVALUELIST:
        if text not in {v.key for v in attribute.values.all()}:
            raise ValidationError(
                _("%(label)s: choose exactly one of: %(choices)s.")
                % {"label": label, "choices": _choices_text(attribute)}
            )
        return text
    limit = TEXT_MAX_LENGTH if datatype == AttributeDatatype.TEXT else STRING_MAX_LENGTH
    if len(text) > limit:
        raise ValidationError(
            _("%(label)s: keep the answer to %(limit)d characters (it has %(length)d).")
            % {"label": label, "limit": limit, "length": len(text)}
        )
    return text


def clean_attributes(
    *, service_type: ServiceType, values: Mapping[str, str | Sequence[str]]
) -> dict[str, str | list[str]]:
    """Check a resident's answers to the service's questions and return them normalized.

    Keys are attribute codes. A multi-value answer comes back as a list of keys, every other
    answer as text; blank optional answers are left out. Raises ValidationError keyed
    `attribute[CODE]` with every problem found.
    """
    prefetched = getattr(service_type, "_prefetched_objects_cache", {})
    attribute_rows = (
        service_type.attributes.all()
        if "attributes" in prefetched
        else service_type.attributes.prefetch_related("values")
    )
    attributes = {a.code: a for a in attribute_rows}
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str | list[str]] = {}
    if not isinstance(values, Mapping):
        raise ValidationError({"attribute": [_("Answers must be given per question code.")]})
    for code, raw in values.items():
        attribute = attributes.get(code) if isinstance(code, str) else None
        if attribute is None:
            shown = str(code)[:64]
            errors[f"attribute[{shown}]"] = [
                _("This service has no question with the code “%(code)s”.") % {"code": shown}
            ]
            continue
        if not attribute.variable:
            errors[f"attribute[{code}]"] = [
                _("%(label)s: this is information only; do not send an answer.")
                % {"label": _label(attribute)}
            ]
            continue
        try:
            answer = _clean_one(attribute, raw)
        except ValidationError as exc:
            errors[f"attribute[{code}]"] = list(exc.messages)
            continue
        if answer is not None:
            cleaned[code] = answer
    for code, attribute in attributes.items():
        key = f"attribute[{code}]"
        if attribute.required and attribute.variable and code not in cleaned and key not in errors:
            errors[key] = [_("%(label)s: this answer is required.") % {"label": _label(attribute)}]
    if errors:
        raise ValidationError(errors)
    return cleaned
