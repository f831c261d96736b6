"""System checks of the Open311 settings, run by `civicdesk check` and at start-up."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning
from django.core.exceptions import ValidationError

from civicdesk.cases.models import JURISDICTION_MAX_LENGTH
from civicdesk.open311.models import jurisdiction_id_validator


def jurisdiction_id_check(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Every case records CIVICDESK_JURISDICTION_ID, so it must fit the column."""
    value = str(settings.CIVICDESK_JURISDICTION_ID)
    if not value.strip() or len(value) > JURISDICTION_MAX_LENGTH:
        return [
            Error(
                f"CIVICDESK_JURISDICTION_ID must have 1 to {JURISDICTION_MAX_LENGTH} characters.",
                id="civicdesk.open311.E001",
            )
        ]
    try:
        jurisdiction_id_validator(value)
    except ValidationError:
        return [
            Warning(
                f"CIVICDESK_JURISDICTION_ID {value!r} cannot be the id of a jurisdiction row, so "
                "this deployment could not serve its own requests beside other jurisdictions.",
                hint="Use letters, digits, '.', '-' and '_', e.g. springfield.gov.",
                id="civicdesk.open311.W001",
            )
        ]
    return []
