from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceKind(models.TextChoices):
    """Open311 `type`: how a request for this service is answered."""

    REALTIME = "realtime", _("Realtime (answered with a request id)")
    BATCH = "batch", _("Batch (answered with a token)")
    BLACKBOX = "blackbox", _("Blackbox (no tracking)")


class AttributeDatatype(models.TextChoices):
    """The six Open311 attribute datatypes."""

    STRING = "string", _("Short text")
    NUMBER = "number", _("Number")
    DATETIME = "datetime", _("Date and time")
    TEXT = "text", _("Long text")
    SINGLEVALUELIST = "singlevaluelist", _("Pick one")
    MULTIVALUELIST = "multivaluelist", _("Pick any")


class SlaUnit(models.TextChoices):
    """How a service's SLA target is counted."""

    BUSINESS_HOURS = "business_hours", _("Business hours")
    CALENDAR_DAYS = "calendar_days", _("Calendar days")


LIST_DATATYPES = {AttributeDatatype.SINGLEVALUELIST, AttributeDatatype.MULTIVALUELIST}
