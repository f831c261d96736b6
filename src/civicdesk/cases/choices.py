from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting on the resident")
    CLOSED = "closed", _("Closed")


class CloseReason(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    DUPLICATE = "duplicate", _("Duplicate of another request")
    NOT_CITY_RESPONSIBILITY = "not_city_responsibility", _("Not the city's responsibility")
    COULD_NOT_LOCATE = "could_not_locate", _("Could not locate")
    NO_ACTION_NEEDED = "no_action_needed", _("No action needed")
    REFERRED = "referred", _("Referred to another agency")
    WITHDRAWN = "withdrawn", _("Withdrawn by the resident")


class NoteVisibility(models.TextChoices):
    PUBLIC = "public", _("Public (the resident and Open311 see it)")
    INTERNAL = "internal", _("Internal (staff only)")


class EventKind(models.TextChoices):
    OPENED = "opened", _("Opened")
    IMPORTED = "imported", _("Imported")
    STATUS_CHANGED = "status_changed", _("Status changed")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")
    ASSIGNED = "assigned", _("Assigned")
    NOTE_ADDED = "note_added", _("Note added")
    ATTACHMENT_ADDED = "attachment_added", _("Attachment added")
    CONTACT_LINKED = "contact_linked", _("Contact linked")
    SLA_AT_RISK = "sla_at_risk", _("SLA at risk")
    SLA_BREACHED = "sla_breached", _("SLA breached")
    ESCALATED = "escalated", _("Escalated to the supervisor")
    MERGED = "merged", _("Merged into another request")
    DUPLICATE_MERGED = "duplicate_merged", _("A duplicate was merged into this request")
    PROVIDER_ASSIGNED = "provider_assigned", _("Provider assigned")


class SlaState(models.TextChoices):
    """Where a case stands against its SLA clock; `none` when its service has no target."""

    NONE = "none", _("No SLA")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    BREACHED = "breached", _("Breached")
