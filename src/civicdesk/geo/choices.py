from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaKind(models.TextChoices):
    JURISDICTION = "jurisdiction", _("Jurisdiction boundary")
    DISTRICT = "district", _("District")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")
    WARD = "ward", _("Ward")
    SERVICE_AREA = "service_area", _("Service area")
