"""The forms of the report steps.

They check what the resident typed with the portal's own messages, so every error is in the
resident's language and says how to fix it; intake checks everything again on the final submit.
A form never writes: the views keep the cleaned values in the draft.
"""

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms import BoundField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicdesk.catalog.attributes import STRING_MAX_LENGTH, TEXT_MAX_LENGTH
from civicdesk.catalog.choices import AttributeDatatype
from civicdesk.catalog.models import ServiceAttribute, ServiceType
from civicdesk.geo.normalize import address_query_parse, number_normalize, text_normalize
from civicdesk.geo.selectors import (
    AddressMatch,
    address_nearest,
    address_search,
    coordinates_validate,
    point_in_jurisdiction,
)
from civicdesk.people.services import email_normalize, phone_normalize
from civicdesk.portal.report.draft import ReportDraft

ATTRIBUTE_PREFIX = "attribute-"
# A field people never see or hear (hidden by CSS, out of the tab order, aria-hidden); only
# software that fills in every field it finds puts anything in it.
HONEYPOT_FIELD = "website"
ADDRESS_MAX_LENGTH = 300
# How far from a map pin the nearest gazetteer address may be to name the place.
PIN_ADDRESS_METRES = 75
_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")
_MAX_NUMBER_DIGITS = 30


def honeypot_filled(data: Any) -> bool:
    return bool(str(data.get(HONEYPOT_FIELD, "")).strip())


def _too_long(thing: str) -> Any:
    if thing == "description":
        return _(
            "Keep the description to %(limit_value)s characters or fewer (it has %(show_value)s)."
        )
    return _("Keep the answer to %(limit_value)s characters or fewer (it has %(show_value)s).")


class NumberAnswerField(forms.CharField):
    """A decimal number as text ("12", "3.5"), the way Open311 carries it."""

    def clean(self, value: Any) -> str:
        text = super().clean(value).strip()
        if not text:
            return ""
        message = _("Enter a number, like 12 or 3.5.")
        if not _NUMBER.match(text):
            raise ValidationError(message, code="invalid")
        try:
            number = Decimal(text)
        except InvalidOperation as error:
            raise ValidationError(message, code="invalid") from error
        if not number.is_finite() or abs(number.adjusted()) > _MAX_NUMBER_DIGITS:
            raise ValidationError(message, code="invalid")
        return text


class DateTimeAnswerField(forms.CharField):
    """A local date and time as a `datetime-local` input sends it ("2025-01-31T14:30").

    Kept in that form (the jurisdiction's local time); intake turns it into UTC.
    """

    def clean(self, value: Any) -> str:
        text = super().clean(value).strip()
        if not text:
            return ""
        message = _("Enter a date and time, like %(example)s.") % {
            "example": f"{timezone.localdate():%Y}-01-31 14:30"
        }
        try:
            moment = dt.datetime.fromisoformat(text.replace(" ", "T", 1))
        except ValueError as error:
            raise ValidationError(message, code="invalid") from error
        if moment.tzinfo is not None or not 1900 <= moment.year <= 2100:
            raise ValidationError(message, code="invalid")
        return moment.strftime("%Y-%m-%dT%H:%M")


@dataclass(frozen=True)
class DetailsRow:
    """One thing on the details page, in the catalog's order: a question, or information."""

    kind: str
    field: BoundField | None = None
    note: str = ""
    hint: str = ""


class DetailsForm(forms.Form):
    """The service's own questions (its Open311 attributes) and a description."""

    def __init__(self, *args: Any, service_type: ServiceType, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.service_type = service_type
        self._layout: list[tuple[str, str, str]] = []
        for attribute in service_type.attributes.all():
            if not attribute.variable:
                self._layout.append(("note", "", attribute.display_description))
                continue
            name = ATTRIBUTE_PREFIX + attribute.code
            self.fields[name] = _attribute_field(attribute)
            self._layout.append((attribute.datatype, name, attribute.display_datatype_description))
        self.fields["description"] = forms.CharField(
            label=_("Describe the problem"),
            required=False,
            max_length=settings.CIVICDESK_MAX_DESCRIPTION_LENGTH,
            strip=True,
            error_messages={"max_length": _too_long("description")},
        )

    @property
    def rows(self) -> list[DetailsRow]:
        rows = []
        for kind, name, text in self._layout:
            if kind == "note":
                rows.append(DetailsRow(kind=kind, note=text))
            else:
                if not text and kind == AttributeDatatype.MULTIVALUELIST:
                    text = str(_("Choose all that apply."))
                rows.append(DetailsRow(kind=kind, field=self[name], hint=text))
        return rows

    def answers(self) -> dict[str, str | list[str]]:
        """The answers given, by attribute code; blank ones left out."""
        found: dict[str, str | list[str]] = {}
        for name, value in self.cleaned_data.items():
            if name.startswith(ATTRIBUTE_PREFIX) and value:
                found[name.removeprefix(ATTRIBUTE_PREFIX)] = value
        return found

    @staticmethod
    def initial_from(draft: ReportDraft) -> dict[str, Any]:
        initial: dict[str, Any] = {
            ATTRIBUTE_PREFIX + code: value for code, value in draft.answers.items()
        }
        initial["description"] = draft.description
        return initial


def _attribute_field(attribute: ServiceAttribute) -> forms.Field:
    label = attribute.display_description
    required = attribute.required
    if attribute.datatype == AttributeDatatype.SINGLEVALUELIST:
        return forms.ChoiceField(
            label=label,
            required=required,
            choices=[(value.key, value.display_name) for value in attribute.values.all()],
            error_messages={
                "required": _("Choose an answer."),
                "invalid_choice": _("Choose one of the answers listed."),
            },
        )
    if attribute.datatype == AttributeDatatype.MULTIVALUELIST:
        return forms.MultipleChoiceField(
            label=label,
            required=required,
            choices=[(value.key, value.display_name) for value in attribute.values.all()],
            error_messages={
                "required": _("Choose at least one answer."),
                "invalid_choice": _("Choose from the answers listed."),
                "invalid_list": _("Choose from the answers listed."),
            },
        )
    if attribute.datatype == AttributeDatatype.NUMBER:
        return NumberAnswerField(
            label=label,
            required=required,
            max_length=_MAX_NUMBER_DIGITS * 2,
            error_messages={
                "required": _("Enter a number."),
                "max_length": _("Enter a number, like 12 or 3.5."),
            },
        )
    if attribute.datatype == AttributeDatatype.DATETIME:
        return DateTimeAnswerField(
            label=label,
            required=required,
            max_length=40,
            error_messages={"required": _("Enter a date and time.")},
        )
    limit = TEXT_MAX_LENGTH if attribute.datatype == AttributeDatatype.TEXT else STRING_MAX_LENGTH
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        error_messages={"required": _("Enter an answer."), "max_length": _too_long("answer")},
    )


@dataclass(frozen=True)
class Place:
    """Where the problem is: a point, and the address residents and crews read."""

    address: str
    lat: float
    long: float


class LocationForm(forms.Form):
    """The address of the problem: typed and found in the gazetteer, or a point (map pin, the
    device's location) that the page's script puts in `lat` and `long`.

    Without JavaScript: "Find address" (`finding=True`) lists the gazetteer's matches as radio
    buttons (`choice`); "Continue" takes the chosen one, or the typed address when it matches
    exactly one address.
    """

    address = forms.CharField(
        label=_("Address of the problem"),
        required=False,
        max_length=ADDRESS_MAX_LENGTH,
        error_messages={"max_length": _too_long("answer")},
    )
    lat = forms.CharField(required=False, widget=forms.HiddenInput)
    long = forms.CharField(required=False, widget=forms.HiddenInput)
    # The address text the point belongs to: when the resident edits the address after a pin
    # or a suggestion (without JavaScript to clear the point), the typed address wins.
    located = forms.CharField(required=False, widget=forms.HiddenInput)
    choice = forms.CharField(required=False, max_length=ADDRESS_MAX_LENGTH)

    def __init__(self, *args: Any, finding: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.finding = finding
        self.matches: list[AddressMatch] = []
        self.place: Place | None = None

    @staticmethod
    def initial_from(draft: ReportDraft) -> dict[str, Any]:
        return {
            "address": draft.address,
            "lat": "" if draft.lat is None else repr(draft.lat),
            "long": "" if draft.long is None else repr(draft.long),
            "located": draft.address,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        address = data.get("address", "").strip()
        choice = data.get("choice", "").strip()
        if self.finding:
            self._find(address)
        elif choice:
            self._take_choice(choice, address)
        elif (data.get("lat") or data.get("long")) and address in (
            "",
            data.get("located", "").strip(),
        ):
            self._take_point(data.get("lat", ""), data.get("long", ""), address)
        elif address:
            self._take_typed(address)
        else:
            self.add_error("address", _("Enter the address of the problem."))
        if self.place is not None and not point_in_jurisdiction(
            lat=self.place.lat, long=self.place.long
        ):
            self.add_error("choice" if choice else "address", outside_message())
            self.place = None
        return data

    def _find(self, address: str) -> None:
        if not address:
            self.add_error("address", _("Enter an address to search for."))
            return
        self.matches = address_search(address)
        if not self.matches:
            self.add_error("address", _not_found_message())

    def _take_choice(self, choice: str, address: str) -> None:
        match = next((found for found in address_search(choice) if found.label == choice), None)
        if match is None:
            self.matches = address_search(address) if address else []
            self.add_error("choice", _("Choose an address from the list, or search again."))
            return
        self.place = Place(address=match.label, lat=match.lat, long=match.long)

    def _take_point(self, lat_text: str, long_text: str, address: str) -> None:
        try:
            lat, long = float(lat_text), float(long_text)
            if not (math.isfinite(lat) and math.isfinite(long)):
                raise ValueError(lat_text)
            coordinates_validate(lat=lat, long=long)
        except (ValueError, ValidationError):
            self.add_error(
                "address",
                _(
                    "We could not read that point. Put the pin on the map again, or enter an "
                    "address."
                ),
            )
            return
        if not address:
            nearest = address_nearest(lat, long, max_metres=PIN_ADDRESS_METRES)
            address = nearest.label if nearest is not None else ""
        self.place = Place(address=address, lat=lat, long=long)

    def _take_typed(self, address: str) -> None:
        self.matches = address_search(address)
        if not self.matches:
            self.add_error("address", _not_found_message())
            return
        exact = [match for match in self.matches if _is_typed_address(address, match)]
        if len(exact) == 1:
            self.place = Place(address=exact[0].label, lat=exact[0].lat, long=exact[0].long)
            return
        self.add_error("choice", _("Choose the address from the list."))


def _is_typed_address(typed: str, match: AddressMatch) -> bool:
    """True when the resident typed this whole address (house number included), perhaps
    without its city and ZIP code."""
    parsed = address_query_parse(typed)
    if parsed is None or not parsed.number or number_normalize(match.number) != parsed.number:
        return False
    return text_normalize(match.label).startswith(text_normalize(typed))


def _not_found_message() -> str:
    return str(
        _(
            "We could not find that address. Check the house number and street, or give the "
            "nearest address."
        )
    )


def outside_message() -> str:
    return str(
        _(
            "This place is outside %(jurisdiction)s. Requests there go to the local government "
            "of that place."
        )
        % {"jurisdiction": settings.CIVICDESK_JURISDICTION_NAME}
    )


class ContactForm(forms.Form):
    """Who to tell about progress; every field is optional, and so is saying who you are."""

    first_name = forms.CharField(
        label=_("First name"),
        required=False,
        max_length=100,
        error_messages={"max_length": _too_long("answer")},
    )
    last_name = forms.CharField(
        label=_("Last name"),
        required=False,
        max_length=100,
        error_messages={"max_length": _too_long("answer")},
    )
    email = forms.CharField(label=_("Email address"), required=False, max_length=254)
    phone = forms.CharField(label=_("Phone number"), required=False, max_length=64)
    consent_updates = forms.BooleanField(
        label=_("Send me updates about this request"), required=False
    )
    website = forms.CharField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        message = _("Enter an email address like name@example.com.")
        self.fields["email"].error_messages["max_length"] = message
        self.fields["phone"].error_messages["max_length"] = _(
            "Enter a phone number like 617-555-0123."
        )

    @staticmethod
    def initial_from(draft: ReportDraft) -> dict[str, Any]:
        return {
            "first_name": draft.first_name,
            "last_name": draft.last_name,
            "email": draft.email,
            "phone": draft.phone,
            "consent_updates": draft.consent_updates,
        }

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip()
        if email:
            try:
                email_normalize(email)
            except ValidationError as error:
                raise ValidationError(
                    _("Enter an email address like name@example.com."), code="invalid"
                ) from error
        return email

    def clean_phone(self) -> str:
        phone: str = self.cleaned_data["phone"].strip()
        if phone:
            try:
                phone_normalize(phone)
            except ValidationError as error:
                raise ValidationError(
                    _("Enter a phone number like 617-555-0123."), code="invalid"
                ) from error
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        wants_updates = data.get("consent_updates")
        gave_contact = self.data.get("email", "").strip() or self.data.get("phone", "").strip()
        if wants_updates and not gave_contact:
            self.add_error(
                "consent_updates", _("To get updates, give an email address or a phone number.")
            )
        return data
