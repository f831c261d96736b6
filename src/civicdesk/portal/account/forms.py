"""Forms of resident accounts and following. Messages are the portal's, in the resident's
language; the people services check everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civicdesk.geo.selectors import AddressMatch, address_search
from civicdesk.people.choices import UpdateChannel
from civicdesk.people.services import EMAIL_MAX_LENGTH, email_normalize, phone_normalize

ADDRESS_RESULTS = 8
ADDRESS_QUERY_MAX_LENGTH = 200


class EmailForm(forms.Form):
    """An email address to send a one-time link to."""

    email = forms.CharField(
        label=_("Email address"),
        max_length=EMAIL_MAX_LENGTH,
        error_messages={
            "required": _("Enter your email address."),
            "max_length": _("An email address has at most %(limit_value)d characters."),
        },
    )

    def clean_email(self) -> str:
        try:
            return email_normalize(self.cleaned_data["email"])
        except ValidationError as error:
            raise ValidationError(
                _("Enter an email address like name@example.com."), code="invalid"
            ) from error


class SignInForm(EmailForm):
    next = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a language.")},
    )
    channel = forms.ChoiceField(
        label=_("How should we send you updates about your requests?"),
        widget=forms.RadioSelect,
        choices=[
            (UpdateChannel.EMAIL.value, _("Email")),
            (UpdateChannel.SMS.value, _("Text message")),
            (UpdateChannel.NONE.value, _("No updates: I will check the website")),
        ],
        error_messages={"required": _("Choose how we should send you updates.")},
    )
    phone = forms.CharField(
        label=_("Mobile phone number"),
        required=False,
        max_length=64,
        error_messages={"max_length": _("Enter a phone number like 617-555-0123.")},
    )
    surveys = forms.BooleanField(
        label=_("Short surveys about how we handled your request"), required=False
    )
    alerts = forms.BooleanField(
        label=_("Alerts about emergencies and service changes"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Each language in its own name, as the language switch shows them.
        names = {"en": "English", "es": "Español"}
        self.fields["language"].choices = [  # type: ignore[attr-defined]
            (code, names.get(code, name)) for code, name in settings.LANGUAGES
        ]

    def clean_phone(self) -> str:
        phone = str(self.cleaned_data["phone"]).strip()
        if not phone:
            return ""
        try:
            return phone_normalize(phone)
        except ValidationError as error:
            raise ValidationError(
                _("Enter a phone number like 617-555-0123."), code="invalid"
            ) from error


class AddressSearchForm(forms.Form):
    """Find an address to save (GET)."""

    q = forms.CharField(
        label=_("Address"),
        max_length=ADDRESS_QUERY_MAX_LENGTH,
        error_messages={
            "required": _("Enter a street address, like 1 City Hall Square."),
            "max_length": _("An address has at most %(limit_value)d characters."),
        },
    )


class AddressSaveForm(forms.Form):
    """Save one of the addresses a search found, with a name (POST).

    The search is run again with the same text, so only a real gazetteer address (with its own
    coordinates) can be saved, whatever the browser sends.
    """

    q = forms.CharField(max_length=ADDRESS_QUERY_MAX_LENGTH, widget=forms.HiddenInput)
    choice = forms.CharField(
        label=_("Choose the address"),
        error_messages={"required": _("Choose one of the addresses.")},
    )
    label = forms.CharField(
        label=_("Name for this place"),
        max_length=60,
        error_messages={
            "required": _("Give this address a name, like Home or Work."),
            "max_length": _("Use at most %(limit_value)d characters for the name."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.matches: list[AddressMatch] = []

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        query = cleaned.get("q", "")
        self.matches = address_search(query, limit=ADDRESS_RESULTS) if query else []
        choice = cleaned.get("choice")
        if choice and not any(match.label == choice for match in self.matches):
            self.add_error("choice", _("Choose one of the addresses."))
        return cleaned

    @property
    def chosen(self) -> AddressMatch:
        return next(m for m in self.matches if m.label == self.cleaned_data["choice"])
