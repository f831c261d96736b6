"""Forms of the resident portal. They check input; the selectors do the looking up."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicdesk.portal.selectors import reference_is_valid, reference_normalize


def reference_example() -> str:
    return f"{timezone.now():%y}-000123"


class TrackForm(forms.Form):
    """Check a request by its reference number (GET, so a result can be bookmarked)."""

    reference = forms.CharField(
        label=_("Reference number"),
        max_length=40,
        error_messages={"required": _("Enter the reference number of your request.")},
    )

    def clean_reference(self) -> str:
        reference = reference_normalize(self.cleaned_data["reference"])
        if not reference_is_valid(reference):
            raise forms.ValidationError(
                _("Enter a reference number like %(example)s."),
                params={"example": reference_example()},
            )
        return reference


class RequestFilterForm(forms.Form):
    """The filters of the public request list; a bad value is ignored, not an error page."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Open and closed")),
            ("open", _("Open only")),
            ("closed", _("Closed only")),
        ],
    )
    service = forms.ChoiceField(label=_("Service"), required=False, choices=[])
    district = forms.ChoiceField(label=_("District"), required=False, choices=[])

    def __init__(
        self,
        *args: object,
        service_choices: list[tuple[str, str]],
        district_choices: list[tuple[str, str]] | None = None,
        **kwargs: object,
    ):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["service"].choices = [("", _("All services")), *service_choices]  # type: ignore[attr-defined]
        self.fields["district"].choices = [("", _("All districts")), *(district_choices or [])]  # type: ignore[attr-defined]
