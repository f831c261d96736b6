from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactPointKind(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
