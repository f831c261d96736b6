from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactPointKind(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")


class UpdateChannel(models.TextChoices):
    """How a resident wants to hear about requests they made or follow."""

    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")
    NONE = "none", _("No messages")


class EmailLinkPurpose(models.TextChoices):
    """What a one-time link sent by email does when the resident uses it."""

    SIGN_IN = "sign_in", _("Sign in")
    FOLLOW = "follow", _("Confirm following a request")
