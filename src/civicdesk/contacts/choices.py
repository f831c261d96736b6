from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """Where a contact came in. Every channel goes through the same intake service."""

    WEB = "web", _("Web portal")
    OPEN311 = "open311", _("Open311 API")
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")
    VOICE = "voice", _("Phone")
    CHAT = "chat", _("Chat")
    SOCIAL = "social", _("Social media")
    WALK_IN = "walk_in", _("In person")
    AGENT = "agent", _("Agent entry")
    IMPORT = "import", _("Historical import")


class ContactDirection(models.TextChoices):
    INBOUND = "inbound", _("Inbound")
    OUTBOUND = "outbound", _("Outbound")


class CaseLinkRole(models.TextChoices):
    OPENED = "opened", _("Opened this request")
    FOLLOW_UP = "follow_up", _("Followed up on this request")
    DUPLICATE_REPORT = "duplicate_report", _("Reported it again")


class MessageSender(models.TextChoices):
    """Who wrote one message of a contact's transcript."""

    RESIDENT = "resident", _("Resident")
    ASSISTANT = "assistant", _("Assistant")
    AGENT = "agent", _("Agent")
