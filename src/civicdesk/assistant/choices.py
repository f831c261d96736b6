from django.db import models
from django.utils.translation import gettext_lazy as _


class EmergencyCategory(models.TextChoices):
    """What kind of danger to life or property a resident's words describe."""

    FIRE = "fire", _("Fire or smoke")
    GAS = "gas", _("Gas leak or gas smell")
    CARBON_MONOXIDE = "carbon_monoxide", _("Carbon monoxide")
    LIVE_WIRES = "live_wires", _("Downed or live wires")
    FLOODING_HOME = "flooding_home", _("Water flooding into a home")
    CRASH_WITH_INJURIES = "crash_with_injuries", _("Crash with injuries")
    INJURY = "injury", _("Someone hurt")
    MEDICAL = "medical", _("Medical emergency")
    VIOLENCE = "violence", _("Violence or a weapon")
    COLLAPSE = "collapse", _("Collapse or someone trapped")
    WATER_RESCUE = "water_rescue", _("Someone in the water")
    HAZARDOUS_MATERIALS = "hazardous_materials", _("Chemical spill or fumes")


class ReplyKind(models.TextChoices):
    """What an assistant reply does for the resident."""

    ANSWER = "answer", _("Answer from the knowledge base")
    CHOICE = "choice", _("Clarifying choice")
    OFFER_REQUEST = "offer_request", _("Offer to start a request")
    START_REQUEST = "start_request", _("Request started")
    HANDOFF = "handoff", _("Handed off to a person")
    EMERGENCY = "emergency", _("Emergency: told to call 911")
    STATUS = "status", _("Request status")
    ASK_REFERENCE = "ask_reference", _("Asked for a reference number")
    GREETING = "greeting", _("Greeting")
    THANKS = "thanks", _("Acknowledgement")
    GOODBYE = "goodbye", _("Goodbye")
    NOT_FOUND = "not_found", _("No answer found")
    INVALID = "invalid", _("Unreadable message")
