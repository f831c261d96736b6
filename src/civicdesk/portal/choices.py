from django.db import models
from django.utils.translation import gettext_lazy as _


class SiteAlertLevel(models.TextChoices):
    """How loudly a site alert speaks; the names of the USWDS site alert variants."""

    INFO = "info", _("Information (blue)")
    EMERGENCY = "emergency", _("Emergency (red)")
